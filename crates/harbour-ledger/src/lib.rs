//! Harbour's tamper-evident ledger, as in RFC 9162 (Certificate Transparency v2) §2.1:
//! leaves are hashed as `SHA-256(0x00 || data)`, interior nodes as `SHA-256(0x01 || left ||
//! right)`, the tree over `n` leaves splits at the largest power of two below `n`, and tree
//! heads are signed with Ed25519.
//!
//! This crate does no IO. Storage reaches it through [`Subtrees`]: anything that can give the
//! hash of a leaf or of a complete, aligned subtree (the store keeps those as rows; tests and
//! benchmarks keep them in memory with [`MemoryTree`]). It must never hold record content:
//! callers pass it only the bytes of ledger entries, which name records by id.

mod proofs;
mod sth;

pub use ed25519_dalek::VerifyingKey;
pub use proofs::{consistency_proof, inclusion_proof, root, verify_consistency, verify_inclusion};
pub use sth::{public_key_from_base64, SignedTreeHead, TreeHead, TreeSigner};

use sha2::{Digest, Sha256};

pub type Hash = [u8; 32];

/// RFC 9162 §2.1.1: the hash of a leaf.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(data);
    h.finalize().into()
}

/// RFC 9162 §2.1.1: the hash of an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The hash of the empty tree: SHA-256 of the empty string.
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    #[error("index {index} is outside a tree of size {size}")]
    OutOfRange { index: u64, size: u64 },
    #[error("a consistency proof needs 0 < old size ({old}) <= new size ({new})")]
    BadSizes { old: u64, new: u64 },
    #[error("the hash of subtree level {level} index {index} is not available: {reason}")]
    Missing { level: u32, index: u64, reason: String },
    #[error("the tree head's signature does not verify")]
    BadSignature,
    #[error("malformed tree head: {0}")]
    Malformed(String),
}

/// Hashes of complete subtrees: level 0 is the leaves; the node at `level`, `index` covers
/// leaves `index * 2^level .. (index + 1) * 2^level`.
pub trait Subtrees {
    fn subtree(&self, level: u32, index: u64) -> Result<Hash, LedgerError>;
}

/// A whole tree in memory, every complete subtree kept: for verification, tests and benchmarks.
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    pub fn new() -> Self {
        Self { levels: vec![Vec::new()] }
    }

    /// Appends a leaf (given its leaf hash), completing any subtrees it closes.
    pub fn push(&mut self, leaf: Hash) {
        self.levels[0].push(leaf);
        let mut level = 0;
        while self.levels[level].len().is_multiple_of(2) {
            let row = &self.levels[level];
            let node = node_hash(&row[row.len() - 2], &row[row.len() - 1]);
            if self.levels.len() == level + 1 {
                self.levels.push(Vec::new());
            }
            self.levels[level + 1].push(node);
            level += 1;
        }
    }

    pub fn len(&self) -> u64 {
        self.levels[0].len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.levels[0].is_empty()
    }

    /// The leaf hash at `index` (panics outside the tree).
    pub fn subtree_leaf(&self, index: u64) -> Hash {
        self.levels[0][index as usize]
    }

    pub fn root(&self) -> Hash {
        root(self, self.len()).expect("a memory tree has every subtree")
    }
}

impl Subtrees for MemoryTree {
    fn subtree(&self, level: u32, index: u64) -> Result<Hash, LedgerError> {
        self.levels
            .get(level as usize)
            .and_then(|row| row.get(index as usize))
            .copied()
            .ok_or_else(|| LedgerError::Missing { level, index, reason: "not in the tree".into() })
    }
}

/// For the leaf appended at `index`, the complete subtrees it closes: (level, index) pairs
/// from level 1 upwards. The store adds these rows with the leaf.
pub fn closed_subtrees(index: u64) -> impl Iterator<Item = (u32, u64)> {
    let size = index + 1;
    (1..64u32).take_while(move |l| size.is_multiple_of(1u64 << l)).map(move |l| (l, (size >> l) - 1))
}
