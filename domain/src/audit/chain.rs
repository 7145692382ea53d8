//! The sealed entry, its canonical bytes and the chain: the hash that links each entry to
//! the one before, and the streaming [`Verifier`] that names the first entry that fails.

use super::*;

/// One entry of the log, as stored: every field is what the chain hashes, in its stored
/// form (codes as text, digests as hex), so verifying never depends on parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1, 2, 3… with no gaps, in the order the entries were written (0 while waiting).
    pub seq: i64,
    pub at: i64,
    /// `None`: the system.
    pub actor_id: Option<i64>,
    /// The username at the time (empty for the system).
    pub actor_name: String,
    pub object_kind: String,
    pub object_id: i64,
    pub action: String,
    pub related_kind: Option<String>,
    pub related_id: Option<i64>,
    pub amount_fen: Option<i64>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// `SHA-256(previous hash ‖ canonical())`, hex.
    pub hash: String,
}

/// The canonical keys, in byte order (a test checks the order).
pub(super) const KEYS: [&str; 13] = [
    "action",
    "actor_id",
    "actor_name",
    "after",
    "amount_fen",
    "at",
    "before",
    "object_id",
    "object_kind",
    "related_id",
    "related_kind",
    "seq",
    "v",
];

impl Entry {
    /// Numbers `change` as entry `seq` and chains it to `prev` (the previous entry's hash);
    /// the entry and its hash, which the next entry chains to.
    pub fn seal(change: &Change, seq: i64, prev: &Digest) -> (Entry, Digest) {
        Entry::waiting(change).sealed(seq, prev)
    }

    /// The entry of `change` as it waits for its place in the chain: not yet numbered
    /// (`seq` 0) nor chained (no hash).
    pub fn waiting(change: &Change) -> Entry {
        let (actor_id, actor_name) = match &change.actor {
            Actor::User(u) => (Some(u.id), u.username.clone()),
            Actor::System => (None, String::new()),
        };
        Entry {
            seq: 0,
            at: change.at,
            actor_id,
            actor_name,
            object_kind: change.object.kind.as_str().to_string(),
            object_id: change.object.id,
            action: change.action.as_str().to_string(),
            related_kind: change.related.map(|r| r.kind.as_str().to_string()),
            related_id: change.related.map(|r| r.id),
            amount_fen: change.amount.map(Fen::get),
            before: change.before.map(|d| d.to_hex()),
            after: change.after.map(|d| d.to_hex()),
            hash: String::new(),
        }
    }

    /// A waiting entry numbered `seq` and chained to `prev`; with its hash, which the next
    /// entry chains to.
    pub fn sealed(mut self, seq: i64, prev: &Digest) -> (Entry, Digest) {
        self.seq = seq;
        let hash = self.chained(prev);
        self.hash = hash.to_hex();
        (self, hash)
    }

    /// Every field but the hash, as canonical JSON.
    pub fn canonical(&self) -> String {
        let mut out = String::with_capacity(320);
        let int = |out: &mut String, v: Option<i64>| match v {
            Some(v) => write_int(out, v),
            None => out.push_str("null"),
        };
        let text = |out: &mut String, v: Option<&str>| match v {
            Some(v) => write_str(out, v),
            None => out.push_str("null"),
        };
        out.push('{');
        for (i, key) in KEYS.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write_str(&mut out, key);
            out.push(':');
            match *key {
                "action" => text(&mut out, Some(&self.action)),
                "actor_id" => int(&mut out, self.actor_id),
                "actor_name" => text(&mut out, Some(&self.actor_name)),
                "after" => text(&mut out, self.after.as_deref()),
                "amount_fen" => int(&mut out, self.amount_fen),
                "at" => int(&mut out, Some(self.at)),
                "before" => text(&mut out, self.before.as_deref()),
                "object_id" => int(&mut out, Some(self.object_id)),
                "object_kind" => text(&mut out, Some(&self.object_kind)),
                "related_id" => int(&mut out, self.related_id),
                "related_kind" => text(&mut out, self.related_kind.as_deref()),
                "seq" => int(&mut out, Some(self.seq)),
                _ => int(&mut out, Some(FORMAT)),
            }
        }
        out.push('}');
        out
    }

    /// This entry's hash when it follows `prev`.
    pub fn chained(&self, prev: &Digest) -> Digest {
        let mut h = Sha256::new();
        h.update(prev.as_bytes());
        h.update(self.canonical().as_bytes());
        Digest(h.finalize().into())
    }

    pub fn object(&self) -> Option<Object> {
        Some(Object::new(
            ObjectKind::parse(&self.object_kind)?,
            self.object_id,
        ))
    }

    pub fn related(&self) -> Option<Object> {
        Some(Object::new(
            ObjectKind::parse(self.related_kind.as_deref()?)?,
            self.related_id?,
        ))
    }

    pub fn action(&self) -> Option<Action> {
        Action::parse(&self.action)
    }
}

/// Why the chain breaks at an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The entry found here has another number: one was deleted, inserted or moved.
    Sequence { found: i64 },
    /// The stored hash is not the hash of this entry after the previous one: the entry, its
    /// hash or an entry before it was altered.
    Hash,
    /// The log ends before the chain's head: entries from here on are missing.
    Missing { head: i64 },
    /// The chain's head names another hash for its last entry.
    Head,
}

impl Reason {
    /// As stored with a checkpoint and answered by the API: `sequence`, `hash`, `missing`
    /// or `head`.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::Sequence { .. } => "sequence",
            Reason::Hash => "hash",
            Reason::Missing { .. } => "missing",
            Reason::Head => "head",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Sequence { found } => write!(f, "entry number {found} found in its place"),
            Reason::Hash => f.write_str("its hash does not match its contents and the chain"),
            Reason::Missing { head } => write!(f, "missing (the chain's head is at {head})"),
            Reason::Head => f.write_str("the chain's head names another hash"),
        }
    }
}

/// The first entry at which the chain does not hold: every entry before it verifies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstBroken {
    pub seq: i64,
    pub reason: Reason,
}

impl fmt::Display for FirstBroken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "entry {}: {}", self.seq, self.reason)
    }
}

/// Walks the chain one entry at a time (entries in `seq` order), so a log of any length is
/// verified in constant memory.
#[derive(Debug, Clone)]
pub struct Verifier {
    next: i64,
    prev: Digest,
    count: u64,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier::new()
    }
}

impl Verifier {
    /// From the first entry.
    pub fn new() -> Verifier {
        Verifier::resume(0, Digest::GENESIS)
    }

    /// After entry `seq` whose hash was verified to be `hash` (a checkpoint).
    pub fn resume(seq: i64, hash: Digest) -> Verifier {
        Verifier {
            next: seq + 1,
            prev: hash,
            count: 0,
        }
    }

    /// Takes the next entry; the first failure names it (stop there).
    pub fn push(&mut self, e: &Entry) -> Result<(), FirstBroken> {
        let broken = |reason| FirstBroken {
            seq: self.next,
            reason,
        };
        if e.seq != self.next {
            return Err(broken(Reason::Sequence { found: e.seq }));
        }
        let hash = e.chained(&self.prev);
        if Digest::parse_hex(&e.hash) != Some(hash) {
            return Err(broken(Reason::Hash));
        }
        self.prev = hash;
        self.next += 1;
        self.count += 1;
        Ok(())
    }

    /// After the last entry: the log reaches the chain's head (`head_seq`, `head_hash`), so
    /// no entry was cut from its end.
    pub fn end(&self, head_seq: i64, head_hash: &str) -> Result<(), FirstBroken> {
        if self.next <= head_seq {
            return Err(FirstBroken {
                seq: self.next,
                reason: Reason::Missing { head: head_seq },
            });
        }
        let last = self.next - 1;
        if last == head_seq && Digest::parse_hex(head_hash) != Some(self.prev) {
            return Err(FirstBroken {
                seq: last,
                reason: Reason::Head,
            });
        }
        Ok(())
    }

    /// Entries verified so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The last verified entry's number (0 before the first).
    pub fn last_seq(&self) -> i64 {
        self.next - 1
    }

    /// The last verified entry's hash.
    pub fn last_hash(&self) -> Digest {
        self.prev
    }
}

/// Verifies a whole log from its first entry; the number of entries when it holds.
pub fn verify<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Result<u64, FirstBroken> {
    let mut v = Verifier::new();
    for e in entries {
        v.push(e)?;
    }
    Ok(v.count())
}
