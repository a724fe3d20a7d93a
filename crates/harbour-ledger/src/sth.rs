//! Signed tree heads. The signed bytes are `"harbour-sth-v1" || tree_size (u64, big-endian) ||
//! timestamp in milliseconds (u64, big-endian) || root hash`, so a head cannot be replayed as
//! another size, time or root; the signature is Ed25519 (RFC 8032).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

use crate::{Hash, LedgerError};

const DOMAIN: &[u8] = b"harbour-sth-v1";

/// The state of the ledger at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeHead {
    pub tree_size: u64,
    pub timestamp_ms: u64,
    pub root_hash: Hash,
}

impl TreeHead {
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(DOMAIN.len() + 48);
        out.extend_from_slice(DOMAIN);
        out.extend_from_slice(&self.tree_size.to_be_bytes());
        out.extend_from_slice(&self.timestamp_ms.to_be_bytes());
        out.extend_from_slice(&self.root_hash);
        out
    }
}

/// A tree head with its signature and the key that made it, as JSON for witnesses to keep.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedTreeHead {
    pub tree_size: u64,
    pub timestamp_ms: u64,
    /// Base64 of the 32-byte root hash.
    pub root_hash: String,
    /// Base64 of the 64-byte Ed25519 signature.
    pub signature: String,
    /// Base64 of the 32-byte Ed25519 public key.
    pub public_key: String,
}

fn decode<const N: usize>(what: &str, s: &str) -> Result<[u8; N], LedgerError> {
    STANDARD
        .decode(s)
        .ok()
        .and_then(|v| v.try_into().ok())
        .ok_or_else(|| LedgerError::Malformed(format!("{what} is not {N} bytes of base64")))
}

impl SignedTreeHead {
    pub fn head(&self) -> Result<TreeHead, LedgerError> {
        Ok(TreeHead {
            tree_size: self.tree_size,
            timestamp_ms: self.timestamp_ms,
            root_hash: decode("root_hash", &self.root_hash)?,
        })
    }

    /// Checks the signature against the given public key (not the one the head carries: a
    /// verifier must know which key it trusts).
    pub fn verify(&self, trusted: &VerifyingKey) -> Result<TreeHead, LedgerError> {
        let head = self.head()?;
        let sig = Signature::from_bytes(&decode("signature", &self.signature)?);
        trusted.verify(&head.signed_bytes(), &sig).map_err(|_| LedgerError::BadSignature)?;
        Ok(head)
    }
}

/// Signs tree heads with the ledger's Ed25519 key.
pub struct TreeSigner {
    key: SigningKey,
}

impl TreeSigner {
    pub fn from_secret(secret: [u8; 32]) -> Self {
        Self { key: SigningKey::from_bytes(&secret) }
    }

    pub fn generate() -> Self {
        Self { key: SigningKey::generate(&mut rand_core::OsRng) }
    }

    pub fn secret(&self) -> [u8; 32] {
        self.key.to_bytes()
    }

    pub fn public_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    pub fn sign(&self, head: TreeHead) -> SignedTreeHead {
        let sig = self.key.sign(&head.signed_bytes());
        SignedTreeHead {
            tree_size: head.tree_size,
            timestamp_ms: head.timestamp_ms,
            root_hash: STANDARD.encode(head.root_hash),
            signature: STANDARD.encode(sig.to_bytes()),
            public_key: STANDARD.encode(self.public_key().to_bytes()),
        }
    }
}

/// Reads a base64 public key.
pub fn public_key_from_base64(s: &str) -> Result<VerifyingKey, LedgerError> {
    VerifyingKey::from_bytes(&decode("public_key", s)?).map_err(|e| LedgerError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_head_verifies_only_unaltered_and_under_its_key() {
        let signer = TreeSigner::generate();
        let head = TreeHead { tree_size: 7, timestamp_ms: 1_700_000_000_000, root_hash: [9; 32] };
        let sth = signer.sign(head);
        assert_eq!(sth.verify(&signer.public_key()).unwrap(), head);
        let mut bigger = sth.clone();
        bigger.tree_size = 8;
        assert_eq!(bigger.verify(&signer.public_key()), Err(LedgerError::BadSignature));
        let other = TreeSigner::generate();
        assert_eq!(sth.verify(&other.public_key()), Err(LedgerError::BadSignature));
        let json = serde_json::to_string(&sth).unwrap();
        let back: SignedTreeHead = serde_json::from_str(&json).unwrap();
        assert_eq!(back, sth);
    }
}
