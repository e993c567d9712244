use super::checker::UNKNOWN_STOPLIST;
use super::*;
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
        assert_eq!(super::checker::is_word_char(c), c.is_alphanumeric() || c == '_', "{c:?}");
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

// ---- validation ----

fn input(term: &str, definition: &str) -> TermInput {
    TermInput { term: term.into(), side: "it".into(), definition: definition.into(), ..TermInput::default() }
}

fn field_errors(r: Result<GlossaryEntry, Error>) -> Vec<String> {
    match r {
        Err(Error::Validation { fields, .. }) => fields.keys().cloned().collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn language_validate_good_term() {
    let mut i = input("  API ", " An agreed way for two programs to talk to each other. ");
    i.aliases = "application programming interface; api, Web API ;; web api,".into();
    i.related = "SLA, endpoint; API".into();
    i.status = "Approved".into();
    i.owner = " Integration team ".into();
    let e = validate_term(&i).unwrap();
    assert_eq!(&*e.term, "API");
    assert_eq!(e.aliases, ["application programming interface", "Web API"]);
    assert_eq!(e.related, ["SLA", "endpoint"]);
    assert_eq!(e.side, Side::It);
    assert_eq!(e.status, TermStatus::Approved);
    assert_eq!(e.owner, "Integration team");
    assert_eq!(e.definition, "An agreed way for two programs to talk to each other.");
    // Status defaults to proposed.
    let e = validate_term(&input("API", "An agreed way for programs to talk")).unwrap();
    assert_eq!(e.status, TermStatus::Proposed);
}

#[test]
fn language_validate_reports_every_field() {
    let i = TermInput { side: "finance".into(), status: "done".into(), ..TermInput::default() };
    assert_eq!(field_errors(validate_term(&i)), ["definition", "side", "status", "term"]);
    assert_eq!(field_errors(validate_term(&input("API", "  "))), ["definition"]);
    assert_eq!(field_errors(validate_term(&input("--", "a real definition of words"))), ["term"]);
    let long = "x".repeat(101);
    assert_eq!(field_errors(validate_term(&input(&long, "a real definition of words"))), ["term"]);
    let mut i = input("API", "An agreed way for programs to talk");
    i.aliases = (0..21).map(|n| format!("alias {n}")).collect::<Vec<_>>().join(",");
    assert_eq!(field_errors(validate_term(&i)), ["aliases"]);
    // A huge list is cut short, not processed item by item against every other.
    i.aliases = (0..200_000).map(|n| n.to_string()).collect::<Vec<_>>().join(";");
    assert_eq!(field_errors(validate_term(&i)), ["aliases"]);
}

#[test]
fn language_validate_rejects_self_definitions() {
    for def in [
        "API",
        "api.",
        "An API is an API.",
        "The API of the APIs",
        "It means API stuff",
        "application programming interface",
        "API thing system",
    ] {
        let mut i = input("API", def);
        i.aliases = "application programming interface".into();
        match validate_term(&i) {
            Err(Error::Validation { fields, .. }) => {
                assert!(fields["definition"].contains("term"), "{def}: {fields:?}")
            }
            other => panic!("{def}: expected an error, got {other:?}"),
        }
    }
    // Three meaningful words besides the term are enough.
    assert!(validate_term(&input("API", "An API lets programs talk")).is_ok());
    assert!(validate_term(&input("run-rate", "Run rate: this month times twelve")).is_ok());
}

#[test]
fn language_filler_words_are_sorted() {
    assert!(FILLER_WORDS.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn language_status_parse() {
    assert_eq!(TermStatus::parse(" APPROVED "), Some(TermStatus::Approved));
    assert_eq!(TermStatus::parse("proposed"), Some(TermStatus::Proposed));
    assert_eq!(TermStatus::parse("draft"), None);
    assert_eq!(TermStatus::Approved.as_str(), "approved");
}

// ---- clashes ----

fn entry(term: &str, aliases: &[&str], side: Side) -> GlossaryEntry {
    GlossaryEntry {
        term: term.into(),
        aliases: aliases.iter().map(|a| a.to_string()).collect(),
        side,
        definition: format!("A plain explanation of {term} for everyone"),
        example: String::new(),
        related: vec![],
        owner: String::new(),
        status: TermStatus::Approved,
    }
}

#[test]
fn language_find_clashes() {
    let entries = [
        entry("API", &["application programming interface"], Side::It),
        entry("Application Programming Interface", &[], Side::It),
        entry("SLA", &["api"], Side::It),
        entry("latency", &["delay", "Delay"], Side::It),
    ];
    let clashes = find_clashes(&entries);
    assert_eq!(
        clashes,
        [
            Clash {
                name: "Application Programming Interface".into(),
                first: "API".into(),
                second: "Application Programming Interface".into()
            },
            Clash { name: "api".into(), first: "API".into(), second: "SLA".into() },
        ]
    );
    assert!(clashes[1].message().contains("alias of “SLA”"));
    assert!(find_clashes(&entries[3..]).is_empty());
}

#[test]
fn language_ensure_no_clash() {
    let others = [entry("API", &["interface"], Side::It), entry("churn", &[], Side::Business)];
    assert!(ensure_no_clash(&entry("SLA", &[], Side::It), &others).is_ok());
    match ensure_no_clash(&entry("Churn", &[], Side::It), &others) {
        Err(Error::Conflict { field, message }) => {
            assert_eq!(field.as_deref(), Some("term"));
            assert!(message.contains("churn"));
        }
        other => panic!("{other:?}"),
    }
    match ensure_no_clash(&entry("port", &["Interface"], Side::It), &others) {
        Err(Error::Conflict { field, .. }) => assert_eq!(field.as_deref(), Some("aliases")),
        other => panic!("{other:?}"),
    }
}

// ---- CSV ----

fn tricky_entries() -> Vec<GlossaryEntry> {
    vec![
        GlossaryEntry {
            term: "run-rate".into(),
            aliases: vec!["run rate".into(), "annualised “rate”".into()],
            side: Side::Business,
            definition: "Results of a short period, scaled up to a year, e.g. \"this quarter × 4\", \
                         so teams can compare.\nSecond line, with commas, and 'quotes'."
                .into(),
            example: "=SUM(A1:A4) looks like a formula; so does -3% churn".into(),
            related: vec!["ARR".into(), "forecast".into()],
            owner: "Finance — Zoë Ødegaard 🚀".into(),
            status: TermStatus::Approved,
        },
        GlossaryEntry {
            term: "API".into(),
            aliases: vec![],
            side: Side::It,
            definition: "An agreed way for two programs to talk to each other.".into(),
            example: String::new(),
            related: vec![],
            owner: String::new(),
            status: TermStatus::Proposed,
        },
        GlossaryEntry {
            term: "@mention".into(),
            aliases: vec!["+1 vote".into()],
            side: Side::It,
            definition: "'=quoted' text: calling a person by name so they get a notice.".into(),
            example: "''-two quotes".into(),
            related: vec![],
            owner: "\"Quoted\" owner, Inc.".into(),
            status: TermStatus::Approved,
        },
    ]
}

#[test]
fn language_csv_round_trip() {
    let entries = tricky_entries();
    let csv = export_csv(&entries);
    assert!(csv.starts_with("term,aliases,side,definition,example,related,owner,status\n"));
    assert!(csv.contains("'=SUM(A1:A4)"));
    assert!(csv.contains("'@mention"));
    assert_eq!(import_csv(csv.as_bytes()).unwrap(), entries);
    // Exporting again gives the same bytes.
    assert_eq!(export_csv(&import_csv(csv.as_bytes()).unwrap()), csv);
    assert_eq!(import_csv(export_csv(&[]).as_bytes()).unwrap(), vec![]);
}

#[test]
fn language_csv_reports_bad_rows_with_lines() {
    let data = "term,aliases,side,definition,example,related,owner,status\n\
                API,,it,\"An agreed way for two\nprograms to talk\",,,,approved\n\
                ,,it,A definition without a term,,,,approved\n\
                latency,,finance,The delay before an answer comes,,,,\n\
                \n\
                SLA,,it,SLA,,,,approved\n\
                churn,,business,Customers who leave us each month,,,,maybe\n\
                too,few,fields\n\
                api,,it,Another name for talking programs,,,,\n\
                uptime,,it,How much of the time a system works,,,,approved\n";
    let errors = import_csv(data.as_bytes()).unwrap_err();
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [4, 5, 7, 8, 9, 10], "{errors:?}");
    assert!(errors[0].reason.starts_with("term:"));
    assert!(errors[1].reason.starts_with("side:"));
    assert!(errors[2].reason.starts_with("definition:"));
    assert!(errors[3].reason.starts_with("status:"));
    assert!(errors[4].reason.contains("3 fields"));
    assert!(errors[5].reason.contains("line 2"), "{}", errors[5].reason);
}

#[test]
fn language_csv_header_problems() {
    let err = import_csv(b"").unwrap_err();
    assert_eq!(err[0].line, 1);
    assert!(err[0].reason.contains("empty"));
    let err = import_csv(b"term,side,meaning\nAPI,it,x\n").unwrap_err();
    assert!(err.iter().any(|e| e.reason.contains("Unknown column “meaning”")));
    assert!(err.iter().any(|e| e.reason.contains("lacks the column definition")));
    assert!(err.iter().all(|e| e.line == 1));
    let err = import_csv(b"API,it,An agreed way for programs\n").unwrap_err();
    assert!(err[0].reason.contains("Expected: term,aliases,side"));
    let err = import_csv(b"term,term,side,definition\n").unwrap_err();
    assert!(err[0].reason.contains("twice"));
}

#[test]
fn language_csv_flexible_header_bom_and_encoding() {
    let data = "\u{feff}Definition, SIDE ,Term\nAn agreed way for programs to talk,it,API\n";
    let got = import_csv(data.as_bytes()).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].term, "API");
    assert_eq!(got[0].status, TermStatus::Proposed);
    let mut bad = b"term,side,definition\nAPI,it,An agreed way \xff for programs\n".to_vec();
    bad.extend_from_slice(b"SLA,it,A promise about how good a service will be\n");
    let err = import_csv(&bad).unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].line, 2);
    assert!(err[0].reason.contains("UTF-8"));
}

#[test]
fn language_csv_crlf_lines_and_blank_rows() {
    let data = "term,side,definition\r\n\
                API,it,\"An agreed way\r\nfor programs to talk\"\r\n\
                \r\n\
                ,it,Missing term here for sure\r\n\
                ,,\r\n\
                SLA,it,SLA\r\n";
    let errors = import_csv(data.as_bytes()).unwrap_err();
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [5, 7], "{errors:?}");
    let ok = import_csv(b"term,side,definition\r\nAPI,it,\"An agreed way\r\nfor programs\"\r\n").unwrap();
    assert_eq!(ok[0].definition, "An agreed way\r\nfor programs");
}

// ---- starter glossary ----

#[test]
fn language_starter_glossary_is_valid() {
    let entries = import_csv(STARTER_GLOSSARY_CSV.as_bytes())
        .unwrap_or_else(|errors| panic!("starter glossary has bad rows: {errors:#?}"));
    assert_eq!(entries, starter_glossary());
    assert!(entries.len() >= 150, "only {} entries", entries.len());
    assert!(entries.iter().all(|e| e.status == TermStatus::Approved));
    let clashes = find_clashes(&entries);
    assert!(clashes.is_empty(), "{clashes:#?}");
    let it = entries.iter().filter(|e| e.side == Side::It).count();
    let business = entries.len() - it;
    assert!(it * 10 >= entries.len() * 4 && business * 10 >= entries.len() * 4, "{it} vs {business}");
    for e in &entries {
        let again = validate_term(&TermInput::from(e)).unwrap();
        assert_eq!(&again, e);
        assert!(!e.example.is_empty(), "{} has no example", e.term);
        assert!(!e.owner.is_empty(), "{} has no owner", e.term);
    }
    // Related terms name entries of the glossary.
    let names: std::collections::HashSet<String> =
        entries.iter().flat_map(|e| e.names().map(str::to_lowercase).collect::<Vec<_>>()).collect();
    for e in &entries {
        for r in &e.related {
            assert!(names.contains(&r.to_lowercase()), "{}: unknown related term {r}", e.term);
        }
    }
    // The checker recognises every name of every entry in its own text.
    let checker = Checker::from_glossary(&entries);
    assert_eq!(checker.len(), entries.len());
    for e in &entries {
        let reader = e.side.other();
        for name in e.names() {
            let text = format!("Here: {name}.");
            let f = checker.check(&text, reader);
            assert!(
                f.iter().any(|f| f.kind == FindingKind::Known && f.term() == e.term),
                "{name} not found as {}: {f:?}",
                e.term
            );
            // Also plural, possessive and between ordinary words (the filters in front of the
            // automaton must let all of these through).
            let text = format!("the {name}s and {name}'s sales team, {name} data");
            let found = checker.check(&text, reader).iter().filter(|f| f.term() == e.term).count();
            assert_eq!(found, 3, "{name} in {text:?}");
        }
    }
}

#[test]
fn language_starter_glossary_example_texts_read_well() {
    let checker = Checker::from_glossary(&starter_glossary());
    let text = "Our ARR run-rate looks good but churn rose; the EBITDA margin is thin. \
                IT says the API latency breaks the SLA and the technical debt slows CI/CD.";
    let for_business: Vec<String> =
        checker.check(text, Side::Business).into_iter().map(|f| f.term().to_string()).collect();
    let for_it: Vec<String> = checker.check(text, Side::It).into_iter().map(|f| f.term().to_string()).collect();
    assert_eq!(for_business, ["API", "latency", "SLA", "technical debt", "CI/CD"]);
    assert_eq!(for_it, ["ARR", "run-rate", "churn", "EBITDA"]);
}
