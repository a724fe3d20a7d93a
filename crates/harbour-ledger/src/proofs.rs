//! Tree hashes, inclusion and consistency proofs, and their verification: RFC 9162 §2.1.2–2.1.4.

use crate::{empty_root, node_hash, Hash, LedgerError, Subtrees};

/// The largest power of two strictly below `n` (n ≥ 2).
fn split(n: u64) -> u64 {
    1u64 << (63 - (n - 1).leading_zeros())
}

/// MTH(D[start : start + n]). In the RFC's recursion every range either is a complete subtree
/// aligned on its size (read from storage) or splits into one and a smaller range.
fn subtree_hash<S: Subtrees + ?Sized>(src: &S, start: u64, n: u64) -> Result<Hash, LedgerError> {
    if n.is_power_of_two() && start.is_multiple_of(n) {
        return src.subtree(n.trailing_zeros(), start / n);
    }
    let k = split(n);
    Ok(node_hash(&subtree_hash(src, start, k)?, &subtree_hash(src, start + k, n - k)?))
}

/// The root hash of the first `size` leaves.
pub fn root<S: Subtrees + ?Sized>(src: &S, size: u64) -> Result<Hash, LedgerError> {
    if size == 0 {
        return Ok(empty_root());
    }
    subtree_hash(src, 0, size)
}

fn path<S: Subtrees + ?Sized>(src: &S, m: u64, start: u64, n: u64, out: &mut Vec<Hash>) -> Result<(), LedgerError> {
    if n == 1 {
        return Ok(());
    }
    let k = split(n);
    if m < k {
        path(src, m, start, k, out)?;
        out.push(subtree_hash(src, start + k, n - k)?);
    } else {
        path(src, m - k, start + k, n - k, out)?;
        out.push(subtree_hash(src, start, k)?);
    }
    Ok(())
}

/// RFC 9162 §2.1.3.1: the audit path of leaf `index` in the tree of the first `size` leaves.
pub fn inclusion_proof<S: Subtrees + ?Sized>(src: &S, index: u64, size: u64) -> Result<Vec<Hash>, LedgerError> {
    if index >= size {
        return Err(LedgerError::OutOfRange { index, size });
    }
    let mut out = Vec::new();
    path(src, index, 0, size, &mut out)?;
    Ok(out)
}

fn subproof<S: Subtrees + ?Sized>(
    src: &S,
    m: u64,
    start: u64,
    n: u64,
    complete: bool,
    out: &mut Vec<Hash>,
) -> Result<(), LedgerError> {
    if m == n {
        if !complete {
            out.push(subtree_hash(src, start, n)?);
        }
        return Ok(());
    }
    let k = split(n);
    if m <= k {
        subproof(src, m, start, k, complete, out)?;
        out.push(subtree_hash(src, start + k, n - k)?);
    } else {
        subproof(src, m - k, start + k, n - k, false, out)?;
        out.push(subtree_hash(src, start, k)?);
    }
    Ok(())
}

/// RFC 9162 §2.1.4.1: proof that the tree of `new` leaves extends the tree of `old` leaves.
pub fn consistency_proof<S: Subtrees + ?Sized>(src: &S, old: u64, new: u64) -> Result<Vec<Hash>, LedgerError> {
    if old == 0 || old > new {
        return Err(LedgerError::BadSizes { old, new });
    }
    let mut out = Vec::new();
    subproof(src, old, 0, new, true, &mut out)?;
    Ok(out)
}

/// RFC 9162 §2.1.3.2: checks an inclusion proof.
pub fn verify_inclusion(leaf: &Hash, index: u64, size: u64, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    snode == 0 && &r == root
}

/// RFC 9162 §2.1.4.2: checks a consistency proof between two tree heads.
pub fn verify_consistency(old: u64, new: u64, old_root: &Hash, new_root: &Hash, proof: &[Hash]) -> bool {
    if old == 0 || old > new {
        return false;
    }
    if old == new {
        return proof.is_empty() && old_root == new_root;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else { return false };
    let (mut fnode, mut snode) = (old - 1, new - 1);
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if snode == 0 {
            return false;
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while fnode & 1 == 0 && fnode != 0 {
                fnode >>= 1;
                snode >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    &fr == old_root && &sr == new_root && snode == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{leaf_hash, MemoryTree};

    fn tree(n: u64) -> MemoryTree {
        let mut t = MemoryTree::new();
        for i in 0..n {
            t.push(leaf_hash(format!("entry {i}").as_bytes()));
        }
        t
    }

    /// MTH by the RFC's definition, directly over the leaf hashes: the reference.
    fn reference_root(leaves: &[Hash]) -> Hash {
        match leaves.len() {
            0 => empty_root(),
            1 => leaves[0],
            n => {
                let k = split(n as u64) as usize;
                node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
            }
        }
    }

    #[test]
    fn roots_match_the_definition_for_every_size() {
        let t = tree(70);
        let leaves: Vec<Hash> = (0..70).map(|i| t.subtree(0, i).unwrap()).collect();
        for n in 0..=70 {
            assert_eq!(root(&t, n).unwrap(), reference_root(&leaves[..n as usize]), "size {n}");
        }
    }

    #[test]
    fn every_inclusion_and_consistency_proof_verifies_and_a_wrong_one_does_not() {
        let t = tree(40);
        for n in 1..=40u64 {
            let r = root(&t, n).unwrap();
            for i in 0..n {
                let leaf = t.subtree(0, i).unwrap();
                let proof = inclusion_proof(&t, i, n).unwrap();
                assert!(verify_inclusion(&leaf, i, n, &proof, &r), "leaf {i} of {n}");
                assert!(!verify_inclusion(&leaf_hash(b"forged"), i, n, &proof, &r));
                if n > 1 {
                    assert!(!verify_inclusion(&leaf, (i + 1) % n, n, &proof, &r) || proof.is_empty());
                }
            }
            for m in 1..=n {
                let proof = consistency_proof(&t, m, n).unwrap();
                let rm = root(&t, m).unwrap();
                assert!(verify_consistency(m, n, &rm, &r, &proof), "{m} -> {n}");
                if m < n {
                    assert!(!verify_consistency(m, n, &leaf_hash(b"other"), &r, &proof));
                }
            }
        }
    }

    #[test]
    fn rfc_sizes_are_checked() {
        let t = tree(8);
        assert!(inclusion_proof(&t, 8, 8).is_err());
        assert!(consistency_proof(&t, 0, 8).is_err());
        assert!(consistency_proof(&t, 5, 4).is_err());
        assert_eq!(root(&t, 0).unwrap(), empty_root());
    }
}
