use super::*;

/// A small valid pack; each test breaks one thing in it.
const MINIMAL: &str = r#"
[pack]
id = "test-notice"
title = "Test notice"
short_name = "Test notice"
version = 1
effective_from = "2026-01-01"
source = "unit test"

[controller]
name = "Test Council"
contact = "Customer Services"

[[purposes]]
id = "protect"
text = "protecting children from abuse and harm"

[[categories]]
id = "personal"
text = "name, address and date of birth"
kind = "ordinary"
harbour = ["personal_details"]

[[categories]]
id = "health"
text = "physical or mental health"
kind = "special"
harbour = ["physical_or_mental_health"]
conditions = ["safeguarding"]

[[lawful_bases]]
id = "public-task"
article = "6(1)(e)"
text = "Public task"

[[conditions]]
id = "safeguarding"
article = "9(2)(g)"
schedule1 = "Part 2 para 18"
text = "safeguarding of children and of individuals at risk"

[[recipients]]
id = "health"
heading = "Health"
kinds = ["health_provider"]
services = ["GP/Doctor"]
categories = ["personal", "health"]

[[recipients.data_sets]]
id = "records"
text = "A record service receives names only."
organisations = ["health-records"]
person_fields = ["name"]

[telling_the_family]
statement = "We will normally tell you."
exemptions = [{ id = "risk-of-harm", text = "telling you could put someone at risk", review_days = 90 }]

[[retention]]
id = "cin"
text = "Children in need"
period = "Date of birth + 25 years"
trigger = "date_of_birth"
years = 25
record_classes = ["child_in_need"]

[[access]]
id = "allocated"
clause = "Who can see your records — your worker's team"
roles = ["practitioner"]
actions = ["read", "write"]
scope = "allocated"
"#;

fn errors(src: &str) -> Vec<String> {
    match load("test.toml", src) {
        Ok(_) => Vec::new(),
        Err(e) => e.0.iter().map(ToString::to_string).collect(),
    }
}

fn line_of(src: &str, needle: &str) -> usize {
    src.lines().position(|l| l.contains(needle)).expect("needle in source") + 1
}

#[test]
fn a_valid_pack_checks_clean_and_compiles() {
    let pack = load("test.toml", MINIMAL).unwrap();
    let compiled = compile(&pack);
    let ids: Vec<&str> = compiled.clauses.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "test-notice/v1/access/allocated",
            "test-notice/v1/recipients/health",
            "test-notice/v1/recipients/health/records"
        ]
    );
    assert!(compiled
        .policies
        .contains("[\"personal_details\", \"physical_or_mental_health\"].containsAll(context.categories)"));
    assert!(compiled
        .policies
        .contains("context.notice == \"test-notice\" && ([\"health_provider\"].contains(context.recipient_kind))"));
    assert!(compiled.policies.contains("([\"health-records\"].contains(context.recipient))"));
}

#[test]
fn an_unknown_reference_is_reported_at_its_line_and_column() {
    let src = MINIMAL.replace(r#"categories = ["personal", "health"]"#, r#"categories = ["personal", "helth"]"#);
    let errs = errors(&src);
    let line = line_of(&src, "\"helth\"");
    let col = src.lines().nth(line - 1).unwrap().find("\"helth\"").unwrap() + 1;
    assert_eq!(errs, vec![format!("test.toml:{line}:{col}: unknown category \"helth\"")]);
}

#[test]
fn a_retention_row_needs_a_trigger_and_a_period() {
    let src = MINIMAL.replace("trigger = \"date_of_birth\"\n", "").replace("years = 25\n", "");
    let errs = errors(&src);
    assert_eq!(errs.len(), 2, "{errs:?}");
    assert!(errs[0].contains("retention row \"cin\" has no trigger"));
    assert!(errs[1].contains("retention row \"cin\" has no period"));
    let bad = MINIMAL.replace("trigger = \"date_of_birth\"", "trigger = \"birthday\"");
    assert!(errors(&bad)[0].contains("unknown trigger \"birthday\""));
}

#[test]
fn a_recipient_group_must_name_its_services() {
    let src = MINIMAL.replace("services = [\"GP/Doctor\"]", "services = []");
    let errs = errors(&src);
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("recipient group \"health\" names no services"));
    let line = src.lines().enumerate().filter(|(_, l)| l.contains("id = \"health\"")).nth(1).unwrap().0 + 1;
    assert!(errs[0].starts_with(&format!("test.toml:{line}:")), "reported at the group's id: {errs:?}");
}

#[test]
fn a_special_category_needs_an_article_9_condition() {
    let src = MINIMAL.replace("conditions = [\"safeguarding\"]\n", "");
    let errs = errors(&src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("Special category \"health\" has no Art 9 condition"), "{errs:?}");
}

#[test]
fn syntax_errors_and_unknown_fields_are_located() {
    let errs = errors(&MINIMAL.replace("version = 1", "version = one"));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].starts_with(&format!("test.toml:{}:", line_of(MINIMAL, "version = 1"))), "{errs:?}");
    let errs = errors(&MINIMAL.replace("contact = \"Customer Services\"", "contact = \"x\"\ncolour = \"blue\""));
    assert!(errs[0].contains("unknown field `colour`"), "{errs:?}");
}

#[test]
fn harbour_codes_are_checked() {
    for (from, to, needle) in [
        ("harbour = [\"personal_details\"]", "harbour = [\"shoe_size\"]", "unknown Harbour data category"),
        ("kinds = [\"health_provider\"]", "kinds = [\"hospital\"]", "unknown organisation kind"),
        ("kinds = [\"health_provider\"]", "kinds = [\"unclassified\"]", "unknown organisation kind"),
        ("kinds = [\"health_provider\"]", "kinds = []", "names no organisation kinds or organisations"),
        ("organisations = [\"health-records\"]", "organisations = [\"Health Records\"]", "must be a directory slug"),
        ("person_fields = [\"name\"]", "person_fields = [\"shoe_size\"]", "unknown person field"),
        ("id = \"records\"", "id = \"records\"\nkinds = [\"school\"]", "is not one the group covers"),
        ("record_classes = [\"child_in_need\"]", "record_classes = [\"child_in_ned\"]", "unknown record class"),
        ("roles = [\"practitioner\"]", "roles = [\"wizard\"]", "unknown role"),
        ("scope = \"allocated\"", "scope = \"everyone\"", "unknown scope"),
        ("id = \"protect\"", "id = \"Protect Me\"", "must be a–z"),
        ("effective_from = \"2026-01-01\"", "effective_from = \"soon\"", "effective_from must be a date"),
    ] {
        let errs = errors(&MINIMAL.replace(from, to));
        assert!(errs.iter().any(|e| e.contains(needle)), "{needle}: {errs:?}");
    }
}

#[test]
fn a_notice_says_what_it_governs() {
    let narrow = MINIMAL.replace("[controller]", "[scope]\nrecord_classes = [\"early_help\"]\n\n[controller]");
    let errs = errors(&narrow);
    assert!(errs.iter().any(|e| e.contains("access rule \"allocated\" must name its record classes")), "{errs:?}");
    let outside =
        narrow.replace("scope = \"allocated\"", "scope = \"allocated\"\nrecord_classes = [\"child_in_need\"]");
    assert!(errors(&outside).iter().any(|e| e.contains("outside the notice's [scope]")));
    let reviews = MINIMAL.replace("[controller]", "[scope]\nrecords = \"reviews\"\n\n[controller]");
    let pack = load("test.toml", &reviews).unwrap();
    assert!(pack.scope.reviews());
    let compiled = compile(&pack);
    assert!(!compiled.policies.contains("disclose"), "a notice about reviews lets no case record be disclosed");
    assert!(errors(&MINIMAL.replace("[controller]", "[scope]\nrecords = \"everything\"\n\n[controller]"))
        .iter()
        .any(|e| e.contains("unknown records")));
}

#[test]
fn markdown_and_html_say_the_same_things() {
    let pack = load("test.toml", MINIMAL).unwrap();
    let md = render(&pack, Format::Markdown);
    let html = render(&pack, Format::Html);
    for text in
        ["protecting children from abuse and harm", "GP/Doctor", "Date of birth + 25 years", "UK GDPR Article 6(1)(e)"]
    {
        assert!(md.contains(text), "{text} missing from markdown");
        assert!(html.contains(text), "{text} missing from html");
    }
    assert!(html.starts_with("<!doctype html>") && html.contains("<html lang=\"en-GB\">"));
    let hostile = MINIMAL.replace("GP/Doctor", "<script>alert(1)</script>");
    let html = render(&load("test.toml", &hostile).unwrap(), Format::Html);
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;"));
}
