//! Unit tests: the tokenizer, the dictionary's form, and the rules that are easy to get wrong.

use harbour_domain::DataCategory::{self, *};

use crate::compile::pattern_words;
use crate::dictionary::{pair_rules, tables};
use crate::tokenize::{normalise_word, tokenize};
use crate::{Detector, FieldTerm, Term};

fn categories(text: &str) -> Vec<DataCategory> {
    Detector::shared().categories(text)
}

/// The words that suggested `category` in `text`.
fn terms(text: &str, category: DataCategory) -> Vec<String> {
    Detector::shared()
        .detect(text)
        .into_iter()
        .find(|f| f.category == category)
        .map(|f| f.terms.into_iter().map(|t| t.text).collect())
        .unwrap_or_default()
}

fn all_patterns() -> Vec<&'static str> {
    let mut patterns: Vec<&str> = tables().flat_map(|t| t.patterns.iter().copied()).collect();
    for rule in pair_rules() {
        patterns.extend(rule.a.iter().chain(rule.b));
    }
    patterns
}

#[test]
fn dictionary_words_are_written_normalised() {
    for pattern in all_patterns() {
        let words = pattern_words(pattern);
        assert!(!words.is_empty(), "empty pattern");
        for alternatives in words {
            assert!(!alternatives.is_empty(), "{pattern:?} has an empty word");
            for alternative in alternatives {
                let word = alternative.trim_end_matches(['*', '+', '=']);
                assert_eq!(
                    normalise_word(word).as_deref(),
                    Some(word),
                    "{pattern:?}: {alternative:?} is not one normalised word"
                );
            }
        }
    }
}

/// `"attracted to girls|boys|the same sex"` reads as one list of alternatives but is not: `|`
/// binds tighter than the space, so "the" would be an alternative to "girls". A word whose
/// alternatives mix little words such as "the" with other words is almost always that mistake.
#[test]
fn no_alternatives_mix_function_words_with_other_words() {
    const FUNCTION: &[&str] = &[
        "the", "a", "an", "his", "her", "their", "my", "our", "your", "its", "to", "of", "in", "on", "at", "by", "for",
        "with", "from", "about", "into",
    ];
    let mixed: Vec<&str> = all_patterns()
        .into_iter()
        .filter(|pattern| {
            pattern_words(pattern).iter().any(|alternatives| {
                let function = alternatives.iter().filter(|a| FUNCTION.contains(a)).count();
                function != 0 && function != alternatives.len()
            })
        })
        .collect();
    assert!(mixed.is_empty(), "split these patterns: {mixed:#?}");
}

#[test]
fn tokens_are_lowercased_with_offsets_into_the_input() {
    let text = "Mum's A&E visit—self-harm (CAMHS).";
    let (mut buf, mut tokens) = (String::new(), Vec::new());
    tokenize(text, &mut buf, &mut tokens);
    let words: Vec<&str> = tokens.iter().map(|t| &buf[t.norm_start..t.norm_end]).collect();
    assert_eq!(words, ["mum", "a&e", "visit", "self", "harm", "camhs"]);
    let spans: Vec<&str> = tokens.iter().map(|t| &text[t.start..t.end]).collect();
    assert_eq!(spans, ["Mum's", "A&E", "visit", "self", "harm", "CAMHS"]);
    assert!(tokens[5].brk, "a bracket is clause punctuation");
    assert!(!tokens[4].brk, "a hyphen is not");
}

#[test]
fn inflections_plurals_and_prefixes_match() {
    for text in ["Dad was arrested.", "Police will arrest him.", "Two arrests last year.", "He is arresting."] {
        assert_eq!(categories(text), [CriminalOffence], "{text}");
    }
    for text in ["She was diagnosed in May.", "A diagnosis of autism.", "Diagnoses are pending."] {
        assert_eq!(categories(text), [PhysicalOrMentalHealth], "{text}");
    }
    assert_eq!(
        terms("Two strokes? No: he had a stroke and two seizures.", PhysicalOrMentalHealth),
        ["had a stroke", "seizures"]
    );
}

#[test]
fn phrases_tolerate_case_punctuation_and_hyphens() {
    assert_eq!(terms("MENTAL-HEALTH team", PhysicalOrMentalHealth), ["MENTAL-HEALTH"]);
    assert_eq!(terms("She has been self harming.", PhysicalOrMentalHealth), ["self harming"]);
    assert_eq!(terms("Seen at the Sexual Health Clinic", SexualityOrSexualHealth), ["Sexual Health Clinic"]);
    assert_eq!(terms("Dad is a Trade-Union rep", TradeUnionMembership), ["Trade-Union"]);
    assert_eq!(terms("attended A & E", PhysicalOrMentalHealth), ["A & E"]);
}

#[test]
fn phrases_do_not_run_across_clause_punctuation() {
    // "mental. Health" is not "mental health".
    assert!(categories("He was mental. Health visitor came later.").is_empty());
}

#[test]
fn obvious_false_alarms_are_not_raised() {
    for text in [
        "Police attended the strategy discussion.",
        "The health visitor visited and arranged to return in two weeks.",
        "Contact took place at the family centre on Church Road.",
        "The children spent Christmas with their grandparents.",
        "Mr Hindley, the head teacher, confirmed attendance.",
        "The school's union of parents raised money.",
        "Toby's birthday party was on Saturday.",
        "Please treat the information with caution.",
        "Mum's phone was not charged.",
        "Christian and his sister were seen at school.",
        "Mr Islam attended with an interpreter.",
        "Ms White from the nursery called.",
        "Dad speaks Polish and needs an interpreter.",
        "Landlord has a possession order.",
        "Mum is sick of the council.",
        "The GP was invited to the conference.",
        "Dad would strike a deal with the landlord.",
        "Operation Encompass notification received by school.",
    ] {
        assert!(categories(text).is_empty(), "{text}: {:?}", Detector::shared().detect(text));
    }
}

#[test]
fn names_are_told_from_beliefs() {
    assert_eq!(categories("The family are Christian."), [ReligiousOrPhilosophicalBeliefs]);
    assert_eq!(categories("Mum is a practising christian"), [ReligiousOrPhilosophicalBeliefs]);
    assert_eq!(categories("Dad converted to Islam."), [ReligiousOrPhilosophicalBeliefs]);
    assert!(categories("Christian said he was fine.").is_empty());
    assert!(categories("Mrs Church offered respite.").is_empty());
    assert_eq!(categories("They go to church on Sundays."), [ReligiousOrPhilosophicalBeliefs]);
}

#[test]
fn context_rules_need_both_sides_within_the_window() {
    assert_eq!(terms("Police were called after dad punched mum.", CriminalOffence), ["Police", "punched"]);
    assert!(categories("Dad said he punched the wall.").is_empty());
    assert!(categories(
        "Police were present. The meeting went on for hours and hours and covered many other things, then a fight."
    )
    .is_empty());
    assert_eq!(categories("Took Jack to the GP for his cough."), [PhysicalOrMentalHealth]);
    assert!(categories("The GP sent apologies.").is_empty());
    assert_eq!(categories("of Pakistani heritage"), [Ethnicity]);
    assert!(categories("Dad likes Pakistani food.").is_empty());
}

#[test]
fn longer_harmless_phrases_hide_triggers() {
    assert!(categories("The police were not called.").is_empty());
    assert_eq!(categories("Mum was punched; the police were not called."), Vec::<DataCategory>::new());
    assert_eq!(categories("Drug dealing at the flat."), [CriminalOffence], "dealing is not drug use");
}

#[test]
fn findings_are_ordered_deduplicated_and_offsets_are_exact() {
    let text = "Arrested again. BIPOLAR, bipolar and Bipolar; then arrested.";
    let findings = Detector::shared().detect(text);
    let order: Vec<DataCategory> = findings.iter().map(|f| f.category).collect();
    assert_eq!(order, [PhysicalOrMentalHealth, CriminalOffence], "DataCategory order");
    assert_eq!(findings[0].terms, [Term { text: "BIPOLAR".into(), start: 16, end: 23 }]);
    assert_eq!(findings[1].terms.len(), 1, "one term per wording");
    for finding in &findings {
        for term in &finding.terms {
            assert_eq!(&text[term.start..term.end], term.text);
        }
    }
}

#[test]
fn one_span_can_suggest_two_categories() {
    assert_eq!(categories("Dad is Sikh."), [ReligiousOrPhilosophicalBeliefs, Ethnicity]);
    assert_eq!(categories("Genetic testing confirmed Fragile X."), [PhysicalOrMentalHealth, GeneticOrBiometric]);
}

#[test]
fn unicode_never_panics_and_offsets_stay_on_char_boundaries() {
    let texts = [
        "Mum’s diagnosis — bipolar — café ☕ naïve Zoë; ÅRRESTED?",
        "Ärztin: Ängste, 🙂🙂 self‑harm",
        "İstanbul İSLAM ǅ ß ﬁ ΣΊΣΥΦΟΣ",
        "\u{301}\u{301}arrested\u{301}",
        "",
        "   ",
        "'s 's ' & &&& A&",
    ];
    for text in texts {
        for finding in Detector::shared().detect(text) {
            for term in finding.terms {
                assert!(text.is_char_boundary(term.start) && text.is_char_boundary(term.end), "{text:?}");
                assert_eq!(&text[term.start..term.end], term.text);
            }
        }
    }
    assert_eq!(terms("Mum’s diagnosis", PhysicalOrMentalHealth), ["diagnosis"]);
}

#[test]
fn fields_are_scanned_separately_and_reported_in_order() {
    let fields =
        [("subject", "Police notification"), ("detail", "Dad was arrested. Mum has bipolar; police said arrested.")];
    let findings = Detector::shared().detect_fields(&fields);
    assert_eq!(findings.len(), 2);
    assert_eq!(findings[1].category, CriminalOffence);
    assert_eq!(
        findings[1].terms,
        [FieldTerm { field: "detail", text: "arrested".into(), start: 8, end: 16 }],
        "\"police\" alone in the subject is not a cue, and a repeated wording is listed once"
    );
}

#[test]
fn detector_is_shareable() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Detector>();
}
