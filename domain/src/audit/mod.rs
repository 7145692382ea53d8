//! 审计日志: the audit log's entries, their canonical encoding and the hash chain that makes
//! the log tamper-evident.
//!
//! Every change of money, orders, contracts, joint purchases, admissions, credit and the
//! product's settings is a [`Change`]: who (a user, or the mall's timers), what (an object
//! and an action), when, and a digest of the object's state before and after ([`State`]).
//! The store numbers it and seals it into an [`Entry`], chained to the one before:
//!
//! ```text
//! hash(n) = SHA-256( hash(n-1) ‖ canonical(entry n) )        hash(0) = 32 zero bytes
//! ```
//!
//! `hash(n-1)` enters as its 32 bytes; `canonical` is the entry's stored fields (all but the
//! hash) as one JSON object: keys in byte order, no spaces, integers in decimal, `null` for
//! an absent value, strings with only `"`, `\` and control characters escaped (`\u00XX`).
//! The same entry therefore always gives the same bytes, and anyone can re-derive them from
//! the table alone. Changing any field of an entry, deleting one or moving one changes the
//! hash from that entry on; [`Verifier`] names the first entry that fails ([`FirstBroken`]).
//!
//! The chain is computed over the fields *as stored* (text, not parsed enums), so a row
//! whose action or kind was overwritten with nonsense is reported as broken, never as
//! unreadable.

use crate::money::Fen;
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// The version of the canonical encoding, part of every entry's hashed bytes.
pub const FORMAT: i64 = 1;

/// A SHA-256 value: an entry's chain hash or a state's digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest([u8; 32]);

impl Digest {
    /// The hash before the first entry.
    pub const GENESIS: Digest = Digest([0; 32]);

    pub fn of(bytes: &[u8]) -> Digest {
        Digest(Sha256::digest(bytes).into())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hex, as stored.
    pub fn to_hex(&self) -> String {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut s = String::with_capacity(64);
        for b in self.0 {
            s.push(HEX[usize::from(b >> 4)] as char);
            s.push(HEX[usize::from(b & 15)] as char);
        }
        s
    }

    /// 64 hex digits (either case).
    pub fn parse_hex(s: &str) -> Option<Digest> {
        let s = s.as_bytes();
        if s.len() != 64 {
            return None;
        }
        let digit = |c: u8| char::from(c).to_digit(16).map(|d| d as u8);
        let mut out = [0u8; 32];
        for (i, pair) in s.chunks(2).enumerate() {
            out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(Digest(out))
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({})", self.to_hex())
    }
}

/// A signed-in person, as the log names them: the account's id and its username then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub username: String,
}

impl User {
    pub fn new(id: i64, username: impl Into<String>) -> User {
        User {
            id,
            username: username.into(),
        }
    }
}

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    User(User),
    /// The mall's timers (an order not confirmed in time, a pool at its deadline, a
    /// suspension that ran out).
    System,
}

impl Actor {
    pub fn user(id: i64, username: impl Into<String>) -> Actor {
        Actor::User(User::new(id, username))
    }

    pub fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User(u) => Some(u.id),
            Actor::System => None,
        }
    }
}

impl From<&User> for Actor {
    fn from(u: &User) -> Actor {
        Actor::User(u.clone())
    }
}

macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The code stored in the log.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$variant),)* _ => None }
            }
        }
    };
}

codes!(
    /// What kind of thing changed.
    ObjectKind {
        Order => "order",
        /// 电子合同; its id is the order's.
        Contract => "contract",
        BudgetLine => "budget_line",
        /// 联合采购
        Pool => "pool",
        Supplier => "supplier",
        CreditEntry => "credit_entry",
        /// A year of the working-day calendar; its id is the year.
        CalendarYear => "calendar_year",
    }
);

codes!(
    /// What happened to it.
    Action {
        /// Checkout: the order is placed and its total frozen on the budget line.
        Place => "place",
        /// A joint purchase's award placed the order; the commitment's freeze carries over.
        PoolOrder => "pool_order",
        Approve => "approve",
        Decline => "decline",
        Cancel => "cancel",
        Confirm => "confirm",
        Ship => "ship",
        Deliver => "deliver",
        Accept => "accept",
        RejectDelivery => "reject_delivery",
        Invoice => "invoice",
        /// The frozen money becomes spent.
        Pay => "pay",
        /// The timers flag a payment past its due date.
        FlagOverdue => "flag_overdue",
        /// The contract is written and its SHA-256 enters the chain.
        Sign => "sign",
        Open => "open",
        Bid => "bid",
        /// A unit commits to a pool: quantity × ceiling frozen.
        Commit => "commit",
        /// Frozen money goes back to the budget line.
        Release => "release",
        Withdraw => "withdraw",
        Award => "award",
        Fail => "fail",
        Register => "register",
        Resubmit => "resubmit",
        Admit => "admit",
        Reject => "reject",
        RequestChanges => "request_changes",
        Warn => "warn",
        Suspend => "suspend",
        Revoke => "revoke",
        Appeal => "appeal",
        Uphold => "uphold",
        Overturn => "overturn",
        End => "end",
        /// The operator loads a year of the working-day calendar.
        LoadCalendar => "load_calendar",
    }
);

impl From<crate::lifecycle::Action> for Action {
    fn from(a: crate::lifecycle::Action) -> Action {
        use crate::lifecycle::Action as L;
        match a {
            L::Approve => Action::Approve,
            L::Decline => Action::Decline,
            L::Cancel => Action::Cancel,
            L::Confirm => Action::Confirm,
            L::Ship => Action::Ship,
            L::Deliver => Action::Deliver,
            L::Accept => Action::Accept,
            L::RejectDelivery => Action::RejectDelivery,
            L::Invoice => Action::Invoice,
            L::Pay => Action::Pay,
        }
    }
}

/// An object of the mall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Object {
    pub kind: ObjectKind,
    pub id: i64,
}

impl Object {
    pub fn new(kind: ObjectKind, id: i64) -> Object {
        Object { kind, id }
    }
}

/// The fields of an object's state an entry digests: a canonical JSON object (keys in byte
/// order, whatever order they were added in). Build it from the values the transaction has
/// just read or written; the digest proves later what they were.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State(BTreeMap<&'static str, Value>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Null,
    Int(i64),
    Text(String),
    Part(State),
}

impl State {
    pub fn new() -> State {
        State::default()
    }

    pub fn int(mut self, key: &'static str, v: i64) -> State {
        self.0.insert(key, Value::Int(v));
        self
    }

    pub fn maybe_int(mut self, key: &'static str, v: Option<i64>) -> State {
        self.0.insert(key, v.map_or(Value::Null, Value::Int));
        self
    }

    pub fn text(mut self, key: &'static str, v: impl Into<String>) -> State {
        self.0.insert(key, Value::Text(v.into()));
        self
    }

    /// A nested object (the budget line beside the order, say).
    pub fn part(mut self, key: &'static str, part: State) -> State {
        self.0.insert(key, Value::Part(part));
        self
    }

    pub fn canonical(&self) -> String {
        let mut out = String::with_capacity(64);
        self.write(&mut out);
        out
    }

    pub fn digest(&self) -> Digest {
        Digest::of(self.canonical().as_bytes())
    }

    fn write(&self, out: &mut String) {
        out.push('{');
        for (i, (key, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(out, key);
            out.push(':');
            match value {
                Value::Null => out.push_str("null"),
                Value::Int(v) => write_int(out, *v),
                Value::Text(s) => write_str(out, s),
                Value::Part(p) => p.write(out),
            }
        }
        out.push('}');
    }
}

/// A JSON string: `"` and `\` escaped, control characters as `\u00XX`, the rest as is.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    // Copies the runs between characters to escape (all ASCII, so byte positions are
    // character boundaries) in one go.
    let mut run = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == b'"' || b == b'\\' || b < 0x20 {
            out.push_str(&s[run..i]);
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                _ => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.push_str("\\u00");
                    out.push(char::from(HEX[usize::from(b >> 4)]));
                    out.push(char::from(HEX[usize::from(b & 15)]));
                }
            }
            run = i + 1;
        }
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// An integer in decimal, without a temporary string.
fn write_int(out: &mut String, v: i64) {
    use std::fmt::Write;
    let _ = write!(out, "{v}");
}

/// A change about to be logged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Unix seconds.
    pub at: i64,
    pub actor: Actor,
    pub object: Object,
    pub action: Action,
    /// The other object the change concerns: the budget line money moved on, the order a
    /// contract belongs to, the supplier of a credit entry or a bid.
    pub related: Option<Object>,
    /// The money the action moved (frozen, released, spent) or the amount it is about.
    pub amount: Option<Fen>,
    /// Digest of the state before; `None` when the object did not exist.
    pub before: Option<Digest>,
    pub after: Option<Digest>,
}

impl Change {
    /// A change of `object` by `actor` at `at`, with nothing else yet.
    pub fn new(at: i64, actor: Actor, object: Object, action: Action) -> Change {
        Change {
            at,
            actor,
            object,
            action,
            related: None,
            amount: None,
            before: None,
            after: None,
        }
    }

    pub fn related(mut self, related: Object) -> Change {
        self.related = Some(related);
        self
    }

    pub fn amount(mut self, amount: Fen) -> Change {
        self.amount = Some(amount);
        self
    }

    pub fn before(mut self, state: &State) -> Change {
        self.before = Some(state.digest());
        self
    }

    pub fn after(mut self, state: &State) -> Change {
        self.after = Some(state.digest());
        self
    }

    /// The state after is a digest computed elsewhere (a contract's SHA-256).
    pub fn after_digest(mut self, digest: Digest) -> Change {
        self.after = Some(digest);
        self
    }
}

mod chain;
#[cfg(test)]
use chain::KEYS;
pub use chain::{verify, Entry, FirstBroken, Reason, Verifier};

#[cfg(test)]
mod tests {
    use super::*;

    fn change(i: i64) -> Change {
        let actor = if i % 4 == 3 {
            Actor::System
        } else {
            Actor::user(i % 5 + 1, format!("user-{i}"))
        };
        let kinds = ObjectKind::ALL;
        let actions = Action::ALL;
        let mut c = Change::new(
            1_760_000_000 + i * 37,
            actor,
            Object::new(kinds[i as usize % kinds.len()], i * 11 + 3),
            actions[i as usize % actions.len()],
        );
        if i % 2 == 0 {
            c = c
                .related(Object::new(ObjectKind::BudgetLine, i + 100))
                .amount(Fen(i * 1234));
        }
        if i % 3 != 0 {
            c = c.before(&State::new().text("status", "placed").int("n", i));
        }
        c.after(&State::new().text("status", "confirmed").int("n", i))
    }

    fn chain(n: i64) -> Vec<Entry> {
        let mut prev = Digest::GENESIS;
        (1..=n)
            .map(|seq| {
                let (e, hash) = Entry::seal(&change(seq), seq, &prev);
                prev = hash;
                e
            })
            .collect()
    }

    #[test]
    fn canonical_keys_are_in_byte_order() {
        let mut sorted = KEYS;
        sorted.sort_unstable();
        assert_eq!(sorted, KEYS);
    }

    #[test]
    fn the_canonical_form_is_fixed() {
        let change = Change::new(
            1_767_225_600,
            Actor::user(7, "demo-buyer"),
            Object::new(ObjectKind::Order, 42),
            Action::Place,
        )
        .related(Object::new(ObjectKind::BudgetLine, 5))
        .amount(Fen(12_345));
        let (e, _) = Entry::seal(&change, 1, &Digest::GENESIS);
        assert_eq!(
            e.canonical(),
            r#"{"action":"place","actor_id":7,"actor_name":"demo-buyer","after":null,"amount_fen":12345,"at":1767225600,"before":null,"object_id":42,"object_kind":"order","related_id":5,"related_kind":"budget_line","seq":1,"v":1}"#
        );
        // SHA-256 of 32 zero bytes and the canonical text, computed outside Rust
        // (Python: `hashlib.sha256(b"\0" * 32 + canonical.encode()).hexdigest()`).
        assert_eq!(
            e.hash,
            "b45f80670afd2d50cda3a6c5a9f49dc16ca039a7b9c76e257a75263a8882e63a"
        );
    }

    #[test]
    fn state_is_canonical_whatever_the_order_of_its_fields() {
        let a = State::new()
            .int("total_fen", 100)
            .text("status", "placed")
            .part(
                "budget_line",
                State::new().int("frozen_fen", 5).int("id", 1),
            );
        let b = State::new()
            .part(
                "budget_line",
                State::new().int("id", 1).int("frozen_fen", 5),
            )
            .text("status", "placed")
            .int("total_fen", 100);
        assert_eq!(a.canonical(), b.canonical());
        assert_eq!(
            a.canonical(),
            r#"{"budget_line":{"frozen_fen":5,"id":1},"status":"placed","total_fen":100}"#
        );
        assert_eq!(a.digest(), b.digest());
        assert_ne!(a.digest(), a.clone().int("total_fen", 101).digest());
        assert_eq!(
            State::new().text("note", "a\"b\\c\nd 中").canonical(),
            r#"{"note":"a\"b\\c\u000ad 中"}"#
        );
        assert_eq!(
            State::new().maybe_int("x", None).canonical(),
            r#"{"x":null}"#
        );
    }

    #[test]
    fn digests_round_trip_through_hex() {
        let d = Digest::of(b"emall");
        assert_eq!(Digest::parse_hex(&d.to_hex()), Some(d));
        assert_eq!(Digest::parse_hex(&d.to_hex().to_uppercase()), Some(d));
        assert_eq!(Digest::parse_hex("abc"), None);
        assert_eq!(Digest::parse_hex(&"g".repeat(64)), None);
        assert_eq!(Digest::GENESIS.to_hex(), "0".repeat(64));
    }

    #[test]
    fn codes_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.as_str()), Some(*a));
        }
        for k in ObjectKind::ALL {
            assert_eq!(ObjectKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Action::parse("nonsense"), None);
    }

    #[test]
    fn an_intact_chain_verifies_and_reaches_its_head() {
        let log = chain(20);
        assert_eq!(verify(&log), Ok(20));
        let mut v = Verifier::new();
        for e in &log {
            v.push(e).unwrap();
        }
        assert_eq!(v.end(20, &log[19].hash), Ok(()));
        assert_eq!(v.last_seq(), 20);
        assert_eq!(verify(&[]), Ok(0));
        assert_eq!(Verifier::new().end(0, &Digest::GENESIS.to_hex()), Ok(()));
    }

    #[test]
    fn a_cut_tail_or_a_moved_head_is_named() {
        let log = chain(5);
        let mut v = Verifier::new();
        for e in &log[..3] {
            v.push(e).unwrap();
        }
        assert_eq!(
            v.end(5, &log[4].hash),
            Err(FirstBroken {
                seq: 4,
                reason: Reason::Missing { head: 5 }
            })
        );
        let mut v = Verifier::new();
        for e in &log {
            v.push(e).unwrap();
        }
        assert_eq!(
            v.end(5, &log[3].hash),
            Err(FirstBroken {
                seq: 5,
                reason: Reason::Head
            })
        );
    }

    #[test]
    fn verification_resumes_from_a_checkpoint() {
        let log = chain(10);
        let mut v = Verifier::resume(6, Digest::parse_hex(&log[5].hash).unwrap());
        for e in &log[6..] {
            v.push(e).unwrap();
        }
        assert_eq!(v.count(), 4);
        // a checkpoint with the wrong hash breaks at the first entry after it
        let mut v = Verifier::resume(6, Digest::GENESIS);
        assert_eq!(v.push(&log[6]).unwrap_err().seq, 7);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// One way to alter a stored entry: every field, each to a value it did not have.
        fn alter(e: &mut Entry, field: usize) {
            let bump = |v: Option<i64>| Some(v.map_or(0, |v| v.wrapping_add(1)));
            let flip = |v: &Option<String>| match v {
                Some(_) => None,
                None => Some(Digest::of(b"x").to_hex()),
            };
            match field {
                0 => e.seq += 1,
                1 => e.at -= 1,
                2 => e.actor_id = bump(e.actor_id),
                3 => e.actor_name.push('x'),
                4 => e.object_kind = "supplier_x".into(),
                5 => e.object_id += 1,
                6 => e.action.push('s'),
                7 => {
                    e.related_kind =
                        Some(format!("{}x", e.related_kind.clone().unwrap_or_default()))
                }
                8 => e.related_id = bump(e.related_id),
                9 => e.amount_fen = bump(e.amount_fen),
                10 => e.before = flip(&e.before),
                11 => e.after = flip(&e.after),
                _ => e.hash = Digest::of(e.hash.as_bytes()).to_hex(),
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn canonical_text_is_json_that_reads_back_as_written(
                text in any::<String>(), n in any::<i64>(), seq in 1i64..1_000_000,
            ) {
                let state = State::new().text("note", text.clone()).int("n", n);
                let read: serde_json::Value = serde_json::from_str(&state.canonical()).unwrap();
                prop_assert_eq!(read["note"].as_str(), Some(text.as_str()));
                prop_assert_eq!(read["n"].as_i64(), Some(n));
                let mut c = change(seq);
                c.actor = Actor::user(n, text.clone());
                let (e, _) = Entry::seal(&c, seq, &Digest::GENESIS);
                let read: serde_json::Value = serde_json::from_str(&e.canonical()).unwrap();
                prop_assert_eq!(read["actor_name"].as_str(), Some(text.as_str()));
                prop_assert_eq!(read["seq"].as_i64(), Some(seq));
            }

            #[test]
            fn altering_any_field_of_any_entry_breaks_the_chain_there(
                n in 1i64..30, at in any::<prop::sample::Index>(), field in 0usize..13,
            ) {
                let mut log = chain(n);
                let i = at.index(log.len());
                alter(&mut log[i], field);
                let broken = verify(&log).unwrap_err();
                prop_assert_eq!(broken.seq, i as i64 + 1, "field {}: {}", field, broken);
            }

            #[test]
            fn deleting_an_entry_breaks_the_chain_at_its_place(
                n in 1i64..30, at in any::<prop::sample::Index>(),
            ) {
                let mut log = chain(n);
                let i = at.index(log.len());
                log.remove(i);
                let mut v = Verifier::new();
                let first = log.iter().try_for_each(|e| v.push(e)).err()
                    .or_else(|| v.end(n, &chain(n)[n as usize - 1].hash).err());
                prop_assert_eq!(first.map(|b| b.seq), Some(i as i64 + 1));
            }

            #[test]
            fn moving_an_entry_breaks_the_chain_where_it_left(
                n in 2i64..30, a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>(),
                renumber in any::<bool>(),
            ) {
                let mut log = chain(n);
                let (from, to) = (a.index(log.len()), b.index(log.len()));
                prop_assume!(from != to);
                let moved = log.remove(from);
                log.insert(to, moved);
                if renumber {
                    // the mover also rewrote the numbers to look in order
                    for (k, e) in log.iter_mut().enumerate() {
                        e.seq = k as i64 + 1;
                    }
                }
                let broken = verify(&log).unwrap_err();
                prop_assert_eq!(broken.seq, from.min(to) as i64 + 1);
            }

            #[test]
            fn a_forged_entry_cannot_be_inserted_unnoticed(
                n in 1i64..20, at in any::<prop::sample::Index>(),
            ) {
                // Whoever inserts an entry and re-chains everything after it must rewrite
                // every later hash; the head then disagrees unless it is rewritten too.
                let log = chain(n);
                let i = at.index(log.len());
                let mut forged = log[..i].to_vec();
                let prev = forged.last().map_or(Digest::GENESIS, |e| Digest::parse_hex(&e.hash).unwrap());
                forged.push(Entry::seal(&change(999), i as i64 + 1, &prev).0);
                let mut v = Verifier::new();
                for e in &forged {
                    v.push(e).unwrap();
                }
                prop_assert!(v.end(n, &log[n as usize - 1].hash).is_err());
            }
        }
    }
}
