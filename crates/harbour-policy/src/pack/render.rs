//! Renders a pack as the public notice, in Markdown or as a standalone HTML page. Both come
//! from one list of sections, so they say the same thing; every text field of the pack is
//! rendered somewhere (a test checks each seed line appears).

use super::{CategoryKind, PolicyPack};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "md" | "markdown" => Ok(Format::Markdown),
            "html" => Ok(Format::Html),
            other => Err(format!("unknown format {other:?}: use md or html")),
        }
    }
}

#[derive(Default)]
struct Section {
    heading: String,
    paragraphs: Vec<String>,
    items: Vec<String>,
    table: Option<(Vec<String>, Vec<Vec<String>>)>,
    /// Further text after the list or table.
    after: Vec<Block>,
}

enum Block {
    Para(String),
    /// A lead sentence and its list.
    List(String, Vec<String>),
}

fn section(pack: &PolicyPack, key: &str) -> Section {
    Section {
        heading: pack.heading(key),
        paragraphs: pack.leads.get(key).cloned().unwrap_or_default(),
        ..Default::default()
    }
}

fn sections(pack: &PolicyPack) -> Vec<Section> {
    let mut out = Vec::new();
    let mut intro = section(pack, "introduction");
    intro.paragraphs.extend(pack.introduction.iter().cloned());
    out.push(intro);
    out.push(controller_section(pack));

    let mut purposes = section(pack, "purposes");
    purposes.items = pack.purposes.iter().map(|p| p.text.clone()).collect();
    out.push(purposes);
    out.push(categories_section(pack));
    out.push(lawful_bases_section(pack));

    let mut statutes = section(pack, "statutes");
    statutes.items = pack.statutes.iter().map(|s| s.text.clone()).collect();
    out.push(statutes);
    out.push(recipients_section(pack));
    out.push(sharing_section(pack));
    out.push(telling_the_family_section(pack));
    out.push(consent_section(pack));
    out.push(retention_section(pack));
    out.push(rights_section(pack));

    if !pack.access.is_empty() {
        out.push(Section {
            heading: "Who can see your records".into(),
            items: pack.access.iter().map(|a| a.clause.clone()).collect(),
            ..Default::default()
        });
    }
    out.extend(caldicott_section(pack));

    for free in &pack.sections {
        out.push(Section {
            heading: free.heading.clone(),
            paragraphs: free.paragraphs.clone(),
            items: free.items.clone(),
            ..Default::default()
        });
    }
    for s in &mut out {
        if let Some((head, _)) = &s.table {
            s.paragraphs.retain(|p| !head.iter().any(|h| h == p.trim()));
        }
    }
    out.retain(|s| !(s.paragraphs.is_empty() && s.items.is_empty() && s.table.is_none() && s.after.is_empty()));
    out
}

/// Who the controller is, how to contact them, and their data protection officer.
fn controller_section(pack: &PolicyPack) -> Section {
    let mut who = section(pack, "controller");
    who.paragraphs.push(format!("{} is the controller of the information described here.", pack.controller.name));
    who.paragraphs.push(format!("Contact: {}", pack.controller.contact));
    if let Some(dpo) = &pack.controller.data_protection_officer {
        who.paragraphs.push(format!("Data protection officer: {dpo}"));
    }
    who
}

/// The ordinary categories of information, then those that need more protection.
fn categories_section(pack: &PolicyPack) -> Section {
    let mut cats = section(pack, "categories");
    cats.items = pack.categories.iter().filter(|c| c.kind == CategoryKind::Ordinary).map(|c| c.text.clone()).collect();
    let sensitive: Vec<String> = pack
        .categories
        .iter()
        .filter(|c| c.kind != CategoryKind::Ordinary)
        .map(|c| {
            let kind = if c.kind == CategoryKind::Special { "special category" } else { "criminal offence data" };
            format!("{} ({kind})", c.text)
        })
        .collect();
    if !sensitive.is_empty() {
        cats.after.push(Block::List("Information that needs more protection:".into(), sensitive));
    }
    cats
}

/// The lawful bases, then the conditions for special category and criminal offence
/// information.
fn lawful_bases_section(pack: &PolicyPack) -> Section {
    let mut law = section(pack, "lawful_bases");
    law.items = pack.lawful_bases.iter().map(|b| format!("UK GDPR Article {}: {}", b.article, b.text)).collect();
    let conditions: Vec<String> = pack
        .conditions
        .iter()
        .map(|c| match &c.schedule1 {
            Some(sch) => {
                format!("UK GDPR Article {} with Data Protection Act 2018 Schedule 1 {sch}: {}", c.article, c.text)
            }
            None => format!("UK GDPR Article {}: {}", c.article, c.text),
        })
        .collect();
    if !conditions.is_empty() {
        let lead = "For special category and criminal offence information we also rely on:".to_string();
        law.after.push(Block::List(lead, conditions));
    }
    law
}

/// The recipients table, its notes, and what the notice holds some recipients to.
fn recipients_section(pack: &PolicyPack) -> Section {
    let mut recipients = section(pack, "recipients");
    let rows = pack
        .recipients
        .iter()
        .map(|r| vec![r.heading.clone(), r.published.clone().unwrap_or_else(|| r.services.join(", "))])
        .collect();
    recipients.table = Some((vec!["Category".into(), "Services".into()], rows));
    recipients.after = pack.recipients.iter().filter_map(|r| r.note.clone()).map(Block::Para).collect();
    // What the notice holds some recipients to: a fixed minimum data set, a time limit.
    for r in &pack.recipients {
        recipients.after.extend(r.data_sets.iter().map(|d| Block::Para(format!("{}: {}", r.heading, d.text))));
        if let Some(days) = r.access_days {
            recipients.after.push(Block::Para(format!(
                "{}: they can see what we share with them for {days} days, after which their access ends.",
                r.heading
            )));
        }
    }
    recipients
}

/// What the notice says about sharing, and the grounds for sharing without consent.
fn sharing_section(pack: &PolicyPack) -> Section {
    let mut sharing = section(pack, "sharing");
    sharing.paragraphs.extend(pack.sharing.statements.iter().cloned());
    sharing.items = pack
        .sharing
        .without_consent
        .iter()
        .map(|g| match &g.reference {
            Some(r) => format!("{} ({r})", g.text),
            None => g.text.clone(),
        })
        .collect();
    sharing
}

/// When the family is told, and the reasons for not telling them.
fn telling_the_family_section(pack: &PolicyPack) -> Section {
    let mut tell = section(pack, "telling_the_family");
    tell.paragraphs.push(pack.telling_the_family.statement.clone());
    tell.items = pack
        .telling_the_family
        .exemptions
        .iter()
        .map(|e| format!("{} (we review this decision within {} days)", e.text, e.review_days))
        .collect();
    tell
}

/// What the notice says about consent: when it is not needed, what withdrawing it does not
/// stop, and how to withdraw it.
fn consent_section(pack: &PolicyPack) -> Section {
    let mut consent = section(pack, "consent");
    consent.paragraphs.extend(pack.consent.statements.iter().cloned());
    if !pack.consent.not_needed_for.is_empty() {
        consent.after.push(Block::List("Consent is not needed for:".into(), pack.consent.not_needed_for.clone()));
    }
    if !pack.consent.withdrawal_does_not_stop.is_empty() {
        let stops = pack.consent.withdrawal_does_not_stop.clone();
        consent.after.push(Block::List("Withdrawing consent does not stop:".into(), stops));
    }
    consent.after.extend(pack.consent.how_to_withdraw.iter().cloned().map(Block::Para));
    consent
}

/// The retention table, and how to read some of its rows.
fn retention_section(pack: &PolicyPack) -> Section {
    let mut retention = section(pack, "retention");
    let rows = pack.retention.iter().map(|r| vec![r.get_ref().text.clone(), r.get_ref().period.clone()]).collect();
    retention.table = Some((vec!["Category".into(), "Retention Period".into()], rows));
    let readings: Vec<String> = pack
        .retention
        .iter()
        .filter_map(|r| r.get_ref().reading.as_ref().map(|x| format!("{}: {x}", r.get_ref().text)))
        .collect();
    if !readings.is_empty() {
        retention.after.push(Block::List("How we read some rows of this table:".into(), readings));
    }
    retention
}

/// The person's rights, each with how to use it where the notice says.
fn rights_section(pack: &PolicyPack) -> Section {
    let mut rights = section(pack, "rights");
    rights.items = pack
        .rights
        .iter()
        .map(|r| match &r.how {
            Some(how) => format!("{} {how}", r.text),
            None => r.text.clone(),
        })
        .collect();
    rights
}

/// The Caldicott Guardian and the disclosures that wait for their approval; `None` when the
/// notice has neither.
fn caldicott_section(pack: &PolicyPack) -> Option<Section> {
    if let Some(c) = &pack.caldicott {
        let mut cg = section(pack, "caldicott");
        cg.paragraphs.extend(c.text.iter().cloned());
        cg.paragraphs.push(format!("Caldicott Guardian: {}", c.guardian));
        if !pack.guardian_approval.is_empty() {
            let rules = pack.guardian_approval.iter().map(|g| g.text.clone()).collect();
            cg.after.push(Block::List("These disclosures wait for the Caldicott Guardian's approval:".into(), rules));
        }
        Some(cg)
    } else if !pack.guardian_approval.is_empty() {
        Some(Section {
            heading: "Caldicott Guardian".into(),
            paragraphs: vec!["These disclosures wait for the Caldicott Guardian's approval:".into()],
            items: pack.guardian_approval.iter().map(|g| g.text.clone()).collect(),
            ..Default::default()
        })
    } else {
        None
    }
}

fn footer(pack: &PolicyPack) -> String {
    format!(
        "Notice version {} in force from {} ({}).",
        pack.pack.version,
        pack.pack.effective_from.get_ref(),
        pack.pack.source
    )
}

/// The notice in the given format.
pub fn render(pack: &PolicyPack, format: Format) -> String {
    match format {
        Format::Markdown => markdown(pack),
        Format::Html => html(pack),
    }
}

fn markdown(pack: &PolicyPack) -> String {
    let mut md = format!("# {}\n\n{}\n\n", pack.pack.title, pack.controller.name);
    for s in sections(pack) {
        md.push_str(&format!("## {}\n\n", s.heading));
        for p in &s.paragraphs {
            md.push_str(&format!("{p}\n\n"));
        }
        for i in &s.items {
            md.push_str(&format!("- {i}\n"));
        }
        if !s.items.is_empty() {
            md.push('\n');
        }
        if let Some((head, rows)) = &s.table {
            let cell = |c: &str| c.replace('|', "\\|").replace('\n', " ");
            md.push_str(&format!("| {} |\n|{}\n", head.join(" | "), "---|".repeat(head.len())));
            for r in rows {
                md.push_str(&format!("| {} |\n", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")));
            }
            md.push('\n');
        }
        for block in &s.after {
            match block {
                Block::Para(p) => md.push_str(&format!("{p}\n\n")),
                Block::List(lead, items) => {
                    md.push_str(&format!("{lead}\n\n"));
                    for i in items {
                        md.push_str(&format!("- {i}\n"));
                    }
                    md.push('\n');
                }
            }
        }
    }
    md.push_str(&format!("---\n\n{}\n", footer(pack)));
    md
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn html(pack: &PolicyPack) -> String {
    html_page(pack, &format!("<style>{NOTICE_CSS}</style>"))
}

/// The HTML notice linking to a stylesheet instead of embedding one (for pages served under
/// a Content-Security-Policy that forbids inline styles).
pub fn render_html_linked(pack: &PolicyPack, stylesheet: &str) -> String {
    html_page(pack, &format!("<link rel=\"stylesheet\" href=\"{}\">", escape(stylesheet)))
}

/// Text for HTML with its Markdown links (`[words](https://…)`) made links: the words escaped,
/// the address kept only when it is an http(s) address.
fn linked(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|c| open + c) else { break };
        let Some(end) = rest[close + 2..].find(')').map(|e| close + 2 + e) else { break };
        let (words, url) = (&rest[open + 1..close], &rest[close + 2..end]);
        out.push_str(&escape(&rest[..open]));
        if (url.starts_with("https://") || url.starts_with("http://")) && !url.contains(char::is_whitespace) {
            out.push_str(&format!("<a href=\"{}\">{}</a>", escape(url), escape(words)));
        } else {
            out.push_str(&escape(&rest[open..=end]));
        }
        rest = &rest[end + 1..];
    }
    out.push_str(&escape(rest));
    out
}

/// A heading's id for the contents list: its letters and digits, lower case, joined by dashes.
fn anchor(heading: &str) -> String {
    let words: Vec<String> =
        heading.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    words.join("-")
}

fn html_page(pack: &PolicyPack, style: &str) -> String {
    let mut body = String::new();
    let all = sections(pack);
    body.push_str("<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n");
    for s in &all {
        body.push_str(&format!("<li><a href=\"#{}\">{}</a></li>\n", anchor(&s.heading), escape(&s.heading)));
    }
    body.push_str("</ol>\n</nav>\n");
    for s in all {
        body.push_str(&format!("<section>\n<h2 id=\"{}\">{}</h2>\n", anchor(&s.heading), escape(&s.heading)));
        for p in &s.paragraphs {
            body.push_str(&format!("<p>{}</p>\n", linked(p)));
        }
        if !s.items.is_empty() {
            body.push_str("<ul>\n");
            for i in &s.items {
                body.push_str(&format!("<li>{}</li>\n", linked(i)));
            }
            body.push_str("</ul>\n");
        }
        if let Some((head, rows)) = &s.table {
            body.push_str("<table>\n<thead><tr>");
            for h in head {
                body.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
            }
            body.push_str("</tr></thead>\n<tbody>\n");
            for r in rows {
                body.push_str("<tr>");
                for c in r {
                    body.push_str(&format!("<td>{}</td>", linked(c)));
                }
                body.push_str("</tr>\n");
            }
            body.push_str("</tbody>\n</table>\n");
        }
        for block in &s.after {
            match block {
                Block::Para(p) => body.push_str(&format!("<p>{}</p>\n", linked(p))),
                Block::List(lead, items) => {
                    body.push_str(&format!("<p>{}</p>\n<ul>\n", linked(lead)));
                    for i in items {
                        body.push_str(&format!("<li>{}</li>\n", linked(i)));
                    }
                    body.push_str("</ul>\n");
                }
            }
        }
        body.push_str("</section>\n");
    }
    format!(
        "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n\
         {style}\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p class=\"by\">{controller}</p>\n{body}\
         <footer><p>{footer}</p></footer>\n</main>\n</body>\n</html>\n",
        title = escape(&pack.pack.title),
        controller = escape(&pack.controller.name),
        footer = escape(&public_footer(pack)),
    )
}

/// The footer a member of the public reads: the version and the day it came into force, in
/// words (where the notice's text came from is for the Markdown copy kept with the code).
fn public_footer(pack: &PolicyPack) -> String {
    let from = pack.pack.effective_from.get_ref();
    let day =
        from.parse::<jiff::civil::Date>().map_or_else(|_| from.to_string(), |d| d.strftime("%-d %B %Y").to_string());
    format!("Version {} of this notice, in force from {day}.", pack.pack.version)
}

/// The notice's stylesheet.
pub const NOTICE_CSS: &str = "body{font:17px/1.6 system-ui,sans-serif;color:#1b1b1b;margin:0;background:#fff}\
main{max-width:46rem;margin:0 auto;padding:1rem 1.25rem 3rem}h1{font-size:2rem;margin-bottom:.25rem}\
.by{color:#505a5f;margin-top:0}h2{font-size:1.35rem;margin-top:2rem;border-top:1px solid #b1b4b6;padding-top:1rem}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.4rem;border-bottom:1px solid #b1b4b6}\
footer{color:#505a5f;font-size:.9rem;margin-top:2rem}";

#[cfg(test)]
mod html_tests {
    use super::*;

    #[test]
    fn markdown_links_become_links_and_nothing_else_does() {
        assert_eq!(
            linked("See [the ICO](https://ico.org.uk/make-a-complaint/) <now>."),
            "See <a href=\"https://ico.org.uk/make-a-complaint/\">the ICO</a> &lt;now&gt;."
        );
        // Not an http(s) address: the text stays as written, escaped.
        assert_eq!(linked("[x](javascript:alert(1))"), "[x](javascript:alert(1))");
        assert_eq!(linked("a [b] c (d)"), "a [b] c (d)");
        assert_eq!(anchor("Who we may share your information with"), "who-we-may-share-your-information-with");
    }
}
