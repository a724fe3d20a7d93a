//! Envelope encryption of sensitive fields.
//!
//! Each person has a random 256-bit data key; their sensitive fields (identifiers, address,
//! the text of entries about them) are sealed with it using XChaCha20-Poly1305. The data key
//! is stored wrapped by the master key, which lives in `<data dir>/keys/master.key` (or is
//! supplied). Identifiers are also stored as keyed hashes (HMAC-SHA-256 under a key derived
//! from the master key) so they can be searched for exactly without being kept in clear.
//! The master key is never logged.

use std::path::Path;
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::StoreError;

const NONCE_LEN: usize = 24;

#[derive(Clone)]
pub struct Keyring {
    inner: Arc<KeyringInner>,
}

struct KeyringInner {
    master: XChaCha20Poly1305,
    index_key: [u8; 32],
    /// Where the key vault lives (`<data dir>/keys/vault.db`); None keeps it in memory.
    vault: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keyring(..)")
    }
}

impl Keyring {
    /// Builds a keyring from 32 bytes of master key.
    pub fn from_master(master: [u8; 32]) -> Self {
        Self::build(master, None)
    }

    fn build(master: [u8; 32], vault: Option<std::path::PathBuf>) -> Self {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&master).expect("any key length");
        mac.update(b"harbour blind index v1");
        let index_key: [u8; 32] = mac.finalize().into_bytes().into();
        Self { inner: Arc::new(KeyringInner { master: XChaCha20Poly1305::new(&master.into()), index_key, vault }) }
    }

    /// The key vault's file, beside the master key (None: an in-memory vault).
    pub fn vault_path(&self) -> Option<&Path> {
        self.inner.vault.as_deref()
    }

    /// Loads `keys/master.key` from the data directory, creating it (mode 0600) if missing.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, StoreError> {
        Self::locate(data_dir, None, None)
    }

    /// A keyring whose master key is supplied from a file kept apart from the data (a mounted
    /// secret, a file fetched from a key service): 32 bytes, or 64 hexadecimal digits. The key
    /// vault stays in `<data dir>/keys/`, so a copy of the data directory alone opens nothing.
    /// Refused if the data directory has a master key file of its own that differs.
    pub fn from_master_file(path: &Path, data_dir: &Path) -> Result<Self, StoreError> {
        Self::locate(data_dir, Some(path), None)
    }

    /// The keyring for a data directory, with the master key and the key vault where the
    /// deployment keeps them: `master_file` (else `<data dir>/keys/master.key`, created on first
    /// use) and `vault` (else `<data dir>/keys/vault.db`). Refuses, changing nothing:
    /// - a supplied master key that differs from one the data directory holds;
    /// - a vault with no master key (a new key would never open the keys already in it);
    /// - a vault named elsewhere while `<data dir>/keys/vault.db` also exists: two vaults, and
    ///   the data keys in one of them would be missed (a restore would then drop those files).
    pub fn locate(data_dir: &Path, master_file: Option<&Path>, vault: Option<&Path>) -> Result<Self, StoreError> {
        let dir = data_dir.join("keys");
        let own_vault = dir.join("vault.db");
        let vault_path = match vault {
            None => own_vault.clone(),
            Some(v) => {
                if own_vault.exists() && !same_file(v, &own_vault) {
                    return Err(StoreError::Keys(format!(
                        "{} holds a key vault too: move it to {} or stop naming another vault",
                        own_vault.display(),
                        v.display()
                    )));
                }
                v.to_path_buf()
            }
        };
        let own_master = dir.join("master.key");
        let master = match master_file {
            Some(path) => supplied_key(path, &own_master, "master")?,
            None if own_master.exists() => own_key(&own_master)?,
            None => {
                if vault_path.exists() {
                    return Err(StoreError::Keys(format!(
                        "{} holds data keys but there is no master key for it: supply the key the data was \
                         written with (--master-key-file)",
                        vault_path.display()
                    )));
                }
                create_private_dir(&dir)?;
                let mut master = [0u8; 32];
                OsRng.fill_bytes(&mut master);
                write_private(&own_master, &master)?;
                master
            }
        };
        if let Some(parent) = vault_path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent)?;
        }
        Ok(Self::build(master, Some(vault_path)))
    }

    /// A new random data key for a person, and that key wrapped for storage.
    pub fn new_person_key(&self, person_id: &str) -> Result<(PersonKey, Vec<u8>), StoreError> {
        let mut key = [0u8; 32];
        OsRng.fill_bytes(&mut key);
        let wrapped = seal_with(&self.inner.master, &wrap_context(person_id), &key)?;
        Ok((PersonKey::new(key), wrapped))
    }

    /// Unwraps a stored person key; fails if it was wrapped for another person.
    pub fn unwrap_person_key(&self, person_id: &str, wrapped: &[u8]) -> Result<PersonKey, StoreError> {
        let key = open_with(&self.inner.master, &wrap_context(person_id), wrapped)?;
        let key: [u8; 32] =
            key.try_into().map_err(|_| StoreError::Corrupt("person key has the wrong length".into()))?;
        Ok(PersonKey::new(key))
    }

    /// A keyed hash of an identifier of the given kind, hex encoded.
    pub fn blind_index(&self, kind: &str, value: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.inner.index_key).expect("any key length");
        mac.update(kind.as_bytes());
        mac.update(b"\0");
        mac.update(value.as_bytes());
        hex_lower(&mac.finalize().into_bytes())
    }

    /// The search tokens of a name: a keyed hash of each prefix (1 to [`NAME_PREFIX_MAX`]
    /// characters) of each of its words, so a search finds names whose words start with what
    /// was typed without the name being stored where it can be read.
    pub fn name_tokens(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = name_words(name)
            .iter()
            .flat_map(|w| {
                let chars: Vec<char> = w.chars().take(NAME_PREFIX_MAX).collect();
                (1..=chars.len()).map(move |n| chars[..n].iter().collect::<String>())
            })
            .map(|prefix| self.name_token(&prefix))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The token a search word must match: the keyed hash of its first [`NAME_PREFIX_MAX`]
    /// characters, lowercased.
    pub fn name_token(&self, word: &str) -> String {
        let word: String = word.to_lowercase().chars().take(NAME_PREFIX_MAX).collect();
        let mut full = self.blind_index("name", &word);
        full.truncate(32);
        full
    }
}

/// A key as a file holds it: 32 raw bytes, or 64 hex digits (with or without a newline).
/// A key supplied from a file kept apart from the data it protects (32 bytes or 64 hexadecimal
/// digits), refused if the data directory's own copy (`own`) holds a different one. `what`
/// names the key in messages ("master", "ledger").
fn supplied_key(path: &Path, own: &Path, what: &str) -> Result<[u8; 32], StoreError> {
    let bytes = std::fs::read(path)
        .map_err(|e| StoreError::Keys(format!("cannot read the {what} key file {}: {e}", path.display())))?;
    let key = parse_key(&bytes)
        .ok_or_else(|| StoreError::Keys(format!("{} must hold 32 bytes or 64 hexadecimal digits", path.display())))?;
    if let Ok(mine) = std::fs::read(own) {
        if mine != key {
            return Err(StoreError::Keys(format!(
                "{} holds a different {what} key from the one supplied; use one of them",
                own.display()
            )));
        }
    }
    Ok(key)
}

/// A key kept in the data directory: exactly 32 bytes.
fn own_key(path: &Path) -> Result<[u8; 32], StoreError> {
    std::fs::read(path)?
        .try_into()
        .map_err(|_| StoreError::Keys(format!("{} must hold exactly 32 bytes", path.display())))
}

fn parse_key(bytes: &[u8]) -> Option<[u8; 32]> {
    if let Ok(raw) = <[u8; 32]>::try_from(bytes) {
        return Some(raw);
    }
    let text = std::str::from_utf8(bytes).ok()?.trim();
    if text.len() != 64 || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// Whether two paths name the same file (both exist and resolve to one place).
fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Names are searched by the first this many characters of each word.
pub const NAME_PREFIX_MAX: usize = 20;

/// The words of a name or a search, lowercased: runs of letters and digits (so "O'Neill-Hart"
/// is "o", "neill" and "hart").
pub fn name_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
}

/// The ledger's Ed25519 signing key, `<data dir>/keys/ledger.key` (created, mode 0600, if missing).
pub fn ledger_signer(data_dir: &Path) -> Result<harbour_ledger::TreeSigner, StoreError> {
    load_ledger_signer(data_dir, None, true)
}

/// The ledger's signing key where the deployment keeps it: `file` if given (32 bytes or 64
/// hexadecimal digits, kept apart from the data the ledger protects), refused if the data
/// directory holds a different `keys/ledger.key`; else `<data dir>/keys/ledger.key`, created
/// (mode 0600) only if `may_create`. A ledger with signed heads must not get a new key: its heads
/// would no longer verify, so callers pass `may_create` only for a ledger with none.
pub fn load_ledger_signer(
    data_dir: &Path,
    file: Option<&Path>,
    may_create: bool,
) -> Result<harbour_ledger::TreeSigner, StoreError> {
    let dir = data_dir.join("keys");
    let own = dir.join("ledger.key");
    if let Some(file) = file {
        return Ok(harbour_ledger::TreeSigner::from_secret(supplied_key(file, &own, "ledger")?));
    }
    if own.exists() {
        return Ok(harbour_ledger::TreeSigner::from_secret(own_key(&own)?));
    }
    if !may_create {
        return Err(StoreError::Keys(format!(
            "there is no ledger key at {} but the ledger has signed tree heads: supply the key they were signed \
             with (--ledger-key-file); a new key would not verify them",
            own.display()
        )));
    }
    create_private_dir(&dir)?;
    let signer = harbour_ledger::TreeSigner::generate();
    write_private(&own, &signer.secret())?;
    Ok(signer)
}

fn wrap_context(person_id: &str) -> String {
    format!("person-key:{person_id}")
}

/// One person's data key.
pub struct PersonKey(XChaCha20Poly1305);

impl PersonKey {
    fn new(key: [u8; 32]) -> Self {
        Self(XChaCha20Poly1305::new(&key.into()))
    }

    /// Seals `plaintext`, bound to `context` (e.g. `entry:<id>`) so a sealed value cannot be
    /// moved to another row.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
        seal_with(&self.0, context, plaintext)
    }

    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        open_with(&self.0, context, sealed)
    }
}

fn seal_with(cipher: &XChaCha20Poly1305, context: &str, plaintext: &[u8]) -> Result<Vec<u8>, StoreError> {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let ct = cipher
        .encrypt(&nonce, Payload { msg: plaintext, aad: context.as_bytes() })
        .map_err(|_| StoreError::Keys("sealing failed".into()))?;
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

fn open_with(cipher: &XChaCha20Poly1305, context: &str, sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
    if sealed.len() < NONCE_LEN {
        return Err(StoreError::Corrupt("sealed value is too short".into()));
    }
    let (nonce, ct) = sealed.split_at(NONCE_LEN);
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: context.as_bytes() })
        .map_err(|_| StoreError::Corrupt(format!("sealed value for {context} does not open")))
}

pub(crate) fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes a new file only its owner may read (mode 0600); refuses to overwrite one.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    use std::io::Write;
    let mut f = create_private_file(path)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}

/// Creates a new, empty file only its owner may read and write (mode 0600): case data, keys and
/// copies of them are never readable by other accounts on the machine, whatever the umask.
/// Fails if the file exists.
pub fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates a directory (and any missing parents) only its owner may enter (mode 0700).
/// Directories that exist are left as they are.
pub fn create_private_dir(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_context() {
        let ring = Keyring::from_master([7; 32]);
        let (key, wrapped) = ring.new_person_key("p1").unwrap();
        let sealed = key.seal("entry:1", b"secret").unwrap();
        assert!(!sealed.windows(6).any(|w| w == b"secret"));
        let again = ring.unwrap_person_key("p1", &wrapped).unwrap();
        assert_eq!(again.open("entry:1", &sealed).unwrap(), b"secret");
        assert!(again.open("entry:2", &sealed).is_err());
        assert!(ring.unwrap_person_key("p2", &wrapped).is_err());
        let other = Keyring::from_master([8; 32]);
        assert!(other.unwrap_person_key("p1", &wrapped).is_err());
    }

    #[test]
    fn blind_indexes_depend_on_the_key_and_kind() {
        let a = Keyring::from_master([1; 32]);
        let b = Keyring::from_master([2; 32]);
        assert_eq!(a.blind_index("nhs", "9434765919"), a.blind_index("nhs", "9434765919"));
        assert_ne!(a.blind_index("nhs", "9434765919"), b.blind_index("nhs", "9434765919"));
        assert_ne!(a.blind_index("nhs", "1"), a.blind_index("upn", "1"));
    }

    #[test]
    fn a_name_is_found_by_the_start_of_any_of_its_words_and_nothing_else() {
        let ring = Keyring::from_master([1; 32]);
        assert_eq!(name_words("  Siân O'Neill-HART "), ["siân", "o", "neill", "hart"]);
        let tokens = ring.name_tokens("Siân O'Neill-HART");
        for typed in ["s", "si", "SIÂN", "o", "ne", "neill", "Hart", "h"] {
            assert!(tokens.contains(&ring.name_token(typed)), "{typed} finds the name");
        }
        for typed in ["ian", "neills", "harte", "x", "sian"] {
            let words = name_words(typed);
            assert!(!words.iter().all(|w| tokens.contains(&ring.name_token(w))), "{typed} does not find it");
        }
        // Long words are matched on their first NAME_PREFIX_MAX characters.
        let long = "Abcdefghijklmnopqrstuvwxyz";
        assert!(ring.name_tokens(long).contains(&ring.name_token("abcdefghijklmnopqrstuvwxyzzz")));
        assert_eq!(ring.name_tokens(long).len(), NAME_PREFIX_MAX);
        // The tokens are keyed hashes: no name in them, and another key gives others.
        assert!(tokens.iter().all(|t| t.len() == 32 && !t.contains("hart")));
        assert_ne!(Keyring::from_master([2; 32]).name_token("hart"), ring.name_token("hart"));
    }

    #[test]
    fn a_supplied_key_is_32_bytes_or_64_hex_digits() {
        assert_eq!(parse_key(&[3u8; 32]), Some([3u8; 32]));
        assert_eq!(parse_key(format!("{}\n", "0a".repeat(32)).as_bytes()), Some([10u8; 32]));
        assert_eq!(parse_key("0A".repeat(32).as_bytes()), Some([10u8; 32]));
        for bad in ["0a".repeat(31), "0a".repeat(33), "zz".repeat(32), String::new()] {
            assert_eq!(parse_key(bad.as_bytes()), None, "{bad:?}");
        }
        assert_eq!(parse_key(&[3u8; 31]), None);
    }

    #[test]
    fn the_master_key_file_is_created_once() {
        let dir = tempfile::tempdir().unwrap();
        let a = Keyring::load_or_create(dir.path()).unwrap();
        let b = Keyring::load_or_create(dir.path()).unwrap();
        assert_eq!(a.blind_index("x", "y"), b.blind_index("x", "y"));
    }
}
