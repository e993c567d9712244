//! The checker's matching rules, unknown jargon, limits and annotation.

use super::super::forms::UNKNOWN_STOPLIST;
use super::super::*;
use crate::org::Side;
use crate::Error;

fn term(id: i64, term: &str, aliases: &[&str], side: Side, definition: &str) -> CheckerTerm {
    CheckerTerm {
        id,
        term: term.to_string(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        side,
        definition: definition.to_string(),
    }
}

fn sample() -> Checker {
    Checker::new(&[
        term(
            1,
            "API",
            &["application programming interface"],
            Side::It,
            "an agreed way for two programs to talk to each other",
        ),
        term(2, "SLA", &["service level agreement"], Side::It, "a promise about service quality"),
        term(3, "latency", &[], Side::It, "the delay before a system answers"),
        term(4, "technical debt", &["tech debt"], Side::It, "shortcuts that slow later work"),
        term(5, "run-rate", &["run rate"], Side::Business, "this period's results, annualised"),
        term(6, "churn", &["churn rate"], Side::Business, "the share of customers who leave"),
        term(7, "EBITDA", &[], Side::Business, "profit before interest, tax and write-downs"),
        term(8, "cloud", &[], Side::It, "computers rented from a provider over the internet"),
        term(9, "cloud cost", &[], Side::Business, "what the company pays for rented computing"),
        term(10, "dependency", &[], Side::It, "something a system needs in order to work"),
        term(11, "process", &[], Side::Business, "an agreed series of steps"),
        term(12, "café", &[], Side::Business, "a place selling coffee"),
        term(13, "API gateway", &[], Side::It, "the front door for all APIs"),
        term(14, "P&L", &["profit and loss"], Side::Business, "the statement of income"),
    ])
}

/// (term, matched, start, end) of each finding, for compact assertions.
fn summary(text: &str, findings: &[Finding]) -> Vec<(String, String, usize, usize)> {
    findings.iter().map(|f| (f.term().to_string(), f.matched(text).to_string(), f.start, f.end)).collect()
}

/// The known findings as written.
fn matched(checker: &Checker, text: &str, reader: Side) -> Vec<String> {
    checker
        .check(text, reader)
        .iter()
        .filter(|f| f.kind == FindingKind::Known)
        .map(|f| f.matched(text).to_string())
        .collect()
}

/// Every finding must point at its own text, in chars and bytes, in order, without overlap.
fn assert_consistent(text: &str, findings: &[Finding]) {
    let mut last = 0;
    for f in findings {
        assert!(f.byte_start >= last, "overlap or disorder in {findings:?}");
        assert!(text.is_char_boundary(f.byte_start) && text.is_char_boundary(f.byte_end));
        assert_eq!(&text[f.byte_start..f.byte_end], f.matched(text));
        assert_eq!(text[..f.byte_start].chars().count(), f.start);
        assert_eq!(text[..f.byte_end].chars().count(), f.end);
        let by_chars: String = text.chars().skip(f.start).take(f.end - f.start).collect();
        assert_eq!(by_chars, f.matched(text));
        last = f.byte_end;
    }
}

// ---- checker: matching rules ----

#[test]
fn language_whole_words_only() {
    let c = sample();
    assert!(matched(&c, "a RAPID change, APIary, SLAB and cloudy skies", Side::Business).is_empty());
    assert_eq!(matched(&c, "the API works", Side::Business), ["API"]);
    assert!(matched(&c, "the_API_ key and API2", Side::Business).is_empty());
    assert_eq!(matched(&c, "(API) [SLA], \"latency\".", Side::Business), ["API", "SLA", "latency"]);
}

#[test]
fn language_acronyms_are_case_sensitive_words_are_not() {
    let c = sample();
    assert!(matched(&c, "the api and the Api and the sla", Side::Business).is_empty());
    assert_eq!(matched(&c, "Latency, LATENCY and latency", Side::Business), ["Latency", "LATENCY", "latency"]);
    assert_eq!(matched(&c, "Our Ebitda and EBITDA", Side::It), ["EBITDA"]);
    assert_eq!(matched(&c, "p&l vs P&L", Side::It), ["P&L"]);
    // An all-capitals word inside a longer name keeps its case rule.
    assert_eq!(matched(&c, "the api gateway", Side::Business), Vec::<String>::new());
    assert_eq!(matched(&c, "the API Gateway", Side::Business), ["API Gateway"]);
}

#[test]
fn language_plurals_and_possessives() {
    let c = sample();
    assert_eq!(matched(&c, "APIs, API's and API’s; SLAs", Side::Business), ["APIs", "API's", "API’s", "SLAs"]);
    assert_eq!(matched(&c, "latencies or latencys", Side::Business), ["latencies", "latencys"]);
    assert_eq!(matched(&c, "two processes", Side::It), ["processes"]);
    assert_eq!(matched(&c, "many dependencies", Side::Business), ["dependencies"]);
    assert_eq!(matched(&c, "the APIs' owners", Side::Business), ["APIs"]);
    // An acronym takes only a lowercase plural "s".
    assert!(matched(&c, "APIes APIS", Side::Business).is_empty());
    let f = c.check("API's", Side::Business);
    assert_eq!(f[0].term(), "API");
}

#[test]
fn language_aliases_report_the_canonical_term() {
    let c = sample();
    let text = "Each Application Programming Interface has a service level agreement.";
    let f = c.check(text, Side::Business);
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].term(), "API");
    assert_eq!(f[0].matched(text), "Application Programming Interface");
    assert_eq!(f[0].term_id(), Some(1));
    assert_eq!(f[0].kind, FindingKind::Known);
    assert_eq!(f[0].definition(), Some("an agreed way for two programs to talk to each other"));
    assert_eq!(f[1].term(), "SLA");
}

#[test]
fn language_side_filtering() {
    let c = sample();
    let text = "Our run-rate and churn suffer from API latency.";
    assert_eq!(matched(&c, text, Side::Business), ["API", "latency"]);
    assert_eq!(matched(&c, text, Side::It), ["run-rate", "churn"]);
}

#[test]
fn language_hyphenated_terms_match_as_written() {
    let c = sample();
    assert_eq!(matched(&c, "the run-rate and the run rate", Side::It), ["run-rate", "run rate"]);
    assert!(matched(&c, "the runrate", Side::It).is_empty());
}

#[test]
fn language_longest_match_wins_and_blocks_shorter_terms() {
    let c = sample();
    // "cloud cost" (business) wins over "cloud" (IT): an IT reader sees it explained ...
    let text = "Our cloud cost rose.";
    let f = c.check(text, Side::It);
    assert_eq!(summary(text, &f), [("cloud cost".into(), "cloud cost".into(), 4, 14)]);
    // ... and a business reader knows it, so "cloud" inside it is not reported either.
    assert!(c.check("Our cloud cost rose.", Side::Business).is_empty());
    assert_eq!(matched(&c, "the cloud", Side::Business), ["cloud"]);
    assert_eq!(matched(&c, "tech debt, technical debt", Side::Business), ["tech debt", "technical debt"]);
    assert_eq!(matched(&c, "the churn rate", Side::It), ["churn rate"]);
    assert_eq!(matched(&c, "an API gateway", Side::Business), ["API gateway"]);
}

#[test]
fn language_rejected_long_match_still_lets_a_shorter_one_through() {
    let c = Checker::new(&[
        term(1, "run", &[], Side::It, "x"),
        term(2, "run-rate", &[], Side::Business, "y"),
        term(3, "op plan", &[], Side::Business, "z"),
        term(4, "co-op", &[], Side::Business, "w"),
    ]);
    // "run-rate" is followed by a letter, so only "run" is a whole word here.
    assert_eq!(matched(&c, "run-rated", Side::Business), ["run"]);
    // "co-op" is inside "xco-op", but "op plan" after the hyphen is a whole phrase.
    assert_eq!(matched(&c, "xco-op plan", Side::It), ["op plan"]);
}

#[test]
fn language_names_starting_with_punctuation() {
    let c = Checker::new(&[
        term(1, ".NET", &[], Side::It, "a programming platform"),
        term(2, "@mention", &[], Side::It, "naming someone so they are told"),
    ]);
    assert_eq!(
        matched(&c, "We use .NET and an @mention, not ASP.NET or x@mention.", Side::Business),
        [".NET", "@mention"]
    );
}

#[test]
fn language_unicode_case_folding_for_words() {
    let c = sample();
    assert_eq!(matched(&c, "Café, CAFÉ, café, cafés", Side::It), ["Café", "CAFÉ", "café", "cafés"]);
    assert!(matched(&c, "cafébar", Side::It).is_empty());
}

#[test]
fn language_char_offsets_with_multibyte_text() {
    let c = sample();
    let text = "Café — l’API est lente: the API's latency";
    let f = c.check(text, Side::Business);
    assert_eq!(
        summary(text, &f),
        [
            ("API".into(), "API".into(), 9, 12),
            ("API".into(), "API's".into(), 28, 33),
            ("latency".into(), "latency".into(), 34, 41),
        ]
    );
    assert_eq!(f[0].byte_start, "Café — l’".len());
    assert_consistent(text, &f);
}

#[test]
fn language_emoji_and_combining_marks() {
    let c = sample();
    let text = "🚀API👍🏽 e\u{301}API API\u{301} 👨‍👩‍👧 SLA🙂 latency";
    let f = c.check(text, Side::Business);
    assert_consistent(text, &f);
    let words: Vec<&str> = f.iter().map(|f| f.matched(text)).collect();
    // A combining mark is not alphanumeric, so it counts as a word boundary.
    assert_eq!(words, ["API", "API", "API", "SLA", "latency"]);
    assert_eq!(f[0].start, 1);
    assert_eq!(f[1].start, "🚀API👍🏽 e\u{301}".chars().count());
    assert_eq!(f[2].start, "🚀API👍🏽 e\u{301}API ".chars().count());
}

#[test]
fn language_never_panics_on_odd_input() {
    let c = sample();
    let pieces = [
        "API",
        "a",
        "é",
        "\u{301}",
        "’",
        "'",
        "s",
        "🚀",
        "👨‍👩‍👧",
        " ",
        "-",
        "_",
        "\n",
        "ß",
        "İ",
        "XYZ",
        "run-",
        "rate",
        "café",
        "CAFÉ",
        "\u{0}",
        "ǅ",
        "ﬃ",
        "가",
        "𝔸",
        "ies",
        "dependenc",
    ];
    // Deterministic pseudo-random concatenations.
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..3_000 {
        let mut text = String::new();
        for _ in 0..(seed % 12) {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
        }
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        for reader in [Side::Business, Side::It] {
            let f = c.check(&text, reader);
            assert_consistent(&text, &f);
            let html = annotate_html(&text, &f);
            assert!(html.len() >= text.len());
        }
    }
}

#[test]
fn language_empty_glossary_still_finds_unknown_acronyms() {
    let c = Checker::new(&[]);
    assert!(c.is_empty());
    assert_eq!(c.len(), 0);
    let text = "The XYZ team uses api calls";
    let f = c.check(text, Side::Business);
    assert_eq!(summary(text, &f), [("XYZ".into(), "XYZ".into(), 4, 7)]);
    assert!(c.check("", Side::It).is_empty());
    // Names without letters or digits are ignored rather than matching everywhere.
    let c = Checker::new(&[term(1, " ", &["", "--"], Side::It, "nothing")]);
    assert_eq!(c.len(), 1);
    assert!(c.check("a -- b", Side::Business).is_empty());
}

#[test]
fn language_word_chars_match_the_standard_library() {
    for c in (0..0x3000u32).filter_map(char::from_u32) {
        assert_eq!(super::super::forms::is_word_char(c), c.is_alphanumeric() || c == '_', "{c:?}");
    }
}

// ---- checker: unknown jargon ----

#[test]
fn language_unknown_acronyms() {
    let c = sample();
    let text = "The CMDB and two VPCs, B2B deals, OK by the CEO, I think; not Q1, NOTE or \
                ABCDEFG; xyz; MiXeD; the API's and EBITDA.";
    let f = c.check(text, Side::Business);
    assert_consistent(text, &f);
    let unknown: Vec<(&str, &str)> =
        f.iter().filter(|f| f.kind == FindingKind::Unknown).map(|f| (f.term(), f.matched(text))).collect();
    // "EBITDA" is a business term: a business reader is not told about it, and it is not
    // unknown either.
    assert_eq!(unknown, [("CMDB", "CMDB"), ("VPC", "VPCs"), ("B2B", "B2B")]);
    let u = f.iter().find(|f| f.kind == FindingKind::Unknown).unwrap();
    assert_eq!(u.term_id(), None);
    assert_eq!(u.definition(), None);
}

#[test]
fn language_unknown_skips_glossary_names_and_words_inside_terms() {
    let c = Checker::new(&[
        term(1, "SLA breach", &[], Side::It, "a broken service promise"),
        term(2, "KPI", &[], Side::Business, "a number that shows progress"),
    ]);
    let text = "SLA breach, KPI, KPIs, KPIS and SLA";
    let f = c.check(text, Side::Business);
    let got: Vec<(&str, FindingKind)> = f.iter().map(|f| (f.matched(text), f.kind)).collect();
    assert_eq!(got, [("SLA breach", FindingKind::Known), ("SLA", FindingKind::Unknown)]);
}

#[test]
fn language_stoplist_is_sorted_and_all_caps() {
    assert!(UNKNOWN_STOPLIST.windows(2).all(|w| w[0] < w[1]));
    assert!(UNKNOWN_STOPLIST.iter().all(|w| w.bytes().all(|b| b.is_ascii_uppercase())));
}

// ---- checker: limits and sharing ----

#[test]
fn language_check_limited_rejects_large_text() {
    let c = sample();
    let big = "a".repeat(MAX_CHECK_BYTES + 1);
    assert!(matches!(check_limited(&c, &big, Side::Business), Err(Error::TooLarge(_))));
    let ok = "x".repeat(MAX_CHECK_BYTES);
    assert!(check_limited(&c, &ok, Side::Business).unwrap().is_empty());
}

#[test]
fn language_checker_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Checker>();
    assert!(format!("{:?}", sample()).contains("terms: 14"));
}

// ---- annotation ----

#[test]
fn language_annotate_markup() {
    let c = Checker::new(&[term(1, "API", &[], Side::It, "an agreed way for two programs to talk to each other")]);
    let text = "Our API's <fast> & \"safe\"\nsee CMDB";
    let html = annotate_html(text, &c.check(text, Side::Business));
    assert_eq!(
        html,
        "Our <span class=\"term\" tabindex=\"0\"><span class=\"term-word\">API&#39;s</span>\
         <span class=\"term-def\" role=\"note\"> (API: an agreed way for two programs to talk \
         to each other)</span></span> &lt;fast&gt; &amp; &quot;safe&quot;\nsee \
         <span class=\"term-unknown\">CMDB</span>"
    );
}

#[test]
fn language_annotate_escapes_definitions_and_skips_bad_findings() {
    let c = Checker::new(&[term(1, "P&L", &[], Side::Business, "<b>profit</b> & 'loss'")]);
    let text = "the P&L <now>";
    let mut f = c.check(text, Side::It);
    let html = annotate_html(text, &f);
    assert!(html.contains(">P&amp;L</span>"));
    assert!(html.contains("(P&amp;L: &lt;b&gt;profit&lt;/b&gt; &amp; &#39;loss&#39;)"));
    assert!(html.ends_with(" &lt;now&gt;"));
    // Findings from another text, out of range or overlapping are ignored, never a panic.
    f[0].byte_start = 5;
    f[0].byte_end = 500;
    assert_eq!(annotate_html(text, &f), "the P&amp;L &lt;now&gt;");
    assert_eq!(annotate_html("", &c.check(text, Side::It)), "");
    let f = c.check("é P&L", Side::It);
    assert_eq!(annotate_html("é P&L", &[f[0].clone(), f[0].clone()]).matches("term-def").count(), 1);
}

#[test]
fn language_annotate_accepts_unsorted_findings() {
    let c = sample();
    let text = "API then SLA";
    let mut f = c.check(text, Side::Business);
    let sorted = annotate_html(text, &f);
    f.reverse();
    assert_eq!(annotate_html(text, &f), sorted);
    assert_eq!(sorted.matches("class=\"term\"").count(), 2);
}
