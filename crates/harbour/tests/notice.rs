//! `harbour notice`: check, render and load policy packs from the command line.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::process::{Command, Output};

fn harbour(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_harbour")).args(args).env("HARBOUR_LOG", "warn").output().expect("run harbour")
}

fn packs() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packs")
}

#[test]
fn the_shipped_packs_check_clean() {
    let files: Vec<String> = std::fs::read_dir(packs())
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".toml"))
        .collect();
    assert_eq!(files.len(), 5);
    let mut args = vec!["notice", "check"];
    args.extend(files.iter().map(String::as_str));
    let out = harbour(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).matches(": ok").count(), 5);
}

#[test]
fn a_broken_pack_is_reported_with_file_line_and_column_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let src = std::fs::read_to_string(packs().join("cse-sharing.toml")).unwrap();
    let broken = src.replacen("kind = \"special\"", "kind = \"secret\"", 1);
    assert_ne!(broken, src);
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, &broken).unwrap();
    let out = harbour(&["notice", "check", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let line = broken.lines().position(|l| l.contains("kind = \"secret\"")).unwrap() + 1;
    assert!(err.contains(&format!("broken.toml:{line}:")), "{err}");
    assert!(err.contains("unknown variant `secret`"), "{err}");
}

#[test]
fn packs_render_as_markdown_and_html() {
    let file = packs().join("dorset-csp-dhr.toml");
    let md = harbour(&["notice", "render", file.to_str().unwrap(), "--format", "md"]);
    assert!(md.status.success());
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.starts_with("# "));
    assert!(md.contains("six years after the publication of the anonymised report"));
    let html = harbour(&["notice", "render", file.to_str().unwrap(), "--format", "html"]);
    let html = String::from_utf8_lossy(&html.stdout);
    assert!(
        html.starts_with("<!doctype html>")
            && html.contains("Access to this personal information is limited to the DHR Review Panel")
    );
    let bad = harbour(&["notice", "render", file.to_str().unwrap(), "--format", "pdf"]);
    assert!(!bad.status.success());
}

#[test]
fn loading_a_changed_notice_needs_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let src = std::fs::read_to_string(packs().join("domestic-abuse-sharing.toml")).unwrap();
    let same = dir.path().join("same.toml");
    std::fs::write(&same, &src).unwrap();
    let out = harbour(&["notice", "load", "--data-dir", data, same.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("already stored"));
    let changed = dir.path().join("changed.toml");
    std::fs::write(&changed, src.replacen("# ", "# edited ", 1)).unwrap();
    let out = harbour(&["notice", "load", "--data-dir", data, changed.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a new version"));
    std::fs::write(&changed, src.replacen("version = 2", "version = 3", 1)).unwrap();
    let out = harbour(&["notice", "load", "--data-dir", data, changed.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("stored domestic-abuse-sharing version 3"));
}
