//! Glossary entries: validation, clashes and CSV.

use super::super::*;
use crate::org::Side;
use crate::Error;

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
