//! What became of a plain form's request, said once on the page the person returns to
//! (the server carries it across the redirect in a one-time cookie).

use serde::{Deserialize, Serialize};

macro_rules! notices {
    ($($(#[$doc:meta])* $name:ident = $code:literal, refusal: $refusal:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum Notice { $($(#[$doc])* $name,)* }

        impl Notice {
            pub const ALL: &[Notice] = &[$(Notice::$name),*];

            /// As the one-time cookie carries it.
            pub fn code(self) -> &'static str {
                match self { $(Notice::$name => $code,)* }
            }

            /// Whether it says that something was not done.
            pub fn is_refusal(self) -> bool {
                match self { $(Notice::$name => $refusal,)* }
            }
        }
    };
}

notices! {
    /// A decision is recorded.
    Decided = "decided", refusal: false;
    /// A decision was not recorded: it must say why.
    NoteNeeded = "note_needed", refusal: true;
    /// A decision was not recorded: someone decided it first, or it moved on.
    NoLongerOpen = "no_longer_open", refusal: true;
    /// A unit's quantity in a pool is committed and its money frozen.
    Committed = "committed", refusal: false;
    /// A unit left a pool; its money is released.
    Withdrawn = "withdrawn", refusal: false;
    /// A supplier's bid in a pool is placed or revised.
    BidPlaced = "bid_placed", refusal: false;
    /// A pool closed early and settled.
    PoolClosed = "pool_closed", refusal: false;
}

impl Notice {
    pub fn from_code(code: &str) -> Option<Notice> {
        Notice::ALL.iter().copied().find(|n| n.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_reads_back_from_its_code() {
        for &n in Notice::ALL {
            assert_eq!(Notice::from_code(n.code()), Some(n));
        }
        assert_eq!(Notice::from_code("<script>"), None);
        assert_eq!(Notice::from_code(""), None);
    }
}
