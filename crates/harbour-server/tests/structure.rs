//! Issue 13: the web crate's shape, checked. It does not depend on the store (every use of
//! case data goes through `harbour-app`), and a feature module imports only the shared modules
//! (`auth`, `error`, `extract`, `pages`) and its own files, never another feature.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::Path;

const SHARED: &[&str] = &["auth", "error", "extract", "pages", "openapi", "AppState"];

#[test]
fn the_web_crate_does_not_depend_on_the_store() {
    let manifest = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let deps = manifest.split("[dependencies]").nth(1).unwrap().split("\n[").next().unwrap();
    assert!(deps.contains("harbour-app"), "it uses the application");
    assert!(!deps.contains("harbour-store"), "it does not use the store:\n{deps}");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(!text.contains("harbour_store"), "{} names the store", file.display());
    }
}

#[test]
fn no_feature_imports_another() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let features: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(features.len() >= 10, "{features:?}");
    for feature in &features {
        for file in rust_files(&src.join(feature)) {
            let text = std::fs::read_to_string(&file).unwrap();
            for (at, _) in text.match_indices("crate::") {
                let name: String = text[at + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                let allowed = SHARED.contains(&name.as_str()) || name == *feature;
                assert!(allowed, "{} imports crate::{name}, another feature", file.display());
            }
        }
        // A feature is its API (api.rs) and its pages (web.rs); a feature with many pages
        // splits them into web/, and its API into api/, never into a third kind of file.
        let dir = src.join(feature);
        for file in rust_files(&dir) {
            let rel = file.strip_prefix(&dir).unwrap().to_string_lossy().into_owned();
            let top = ["mod.rs", "api.rs", "web.rs"].contains(&rel.as_str());
            let split = rel.starts_with("web/") || rel.starts_with("api/");
            assert!(top || split, "{feature}/{rel}: a feature has api.rs and web.rs (or api/ and web/)");
        }
    }
}

fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}
