//! The people import: reading, row checks and resolving against the directory.

use super::read::group_digits;
use super::*;
use crate::org::validate_person;

const HEADER: &str = "name,email,side,unit,team,title,manager_email\n";

fn parse(text: &str) -> Result<Vec<ImportRow>, Vec<RowError>> {
    parse_people_csv(text.as_bytes())
}

fn errors(text: &str) -> Vec<RowError> {
    parse(text).expect_err("expected errors")
}

fn only_error(text: &str) -> RowError {
    let errors = errors(text);
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors.into_iter().next().expect("one error")
}

fn map(pairs: &[(&str, i64)]) -> HashMap<String, i64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn reads_a_good_file() {
    let rows = parse(&format!(
        "{HEADER}Ada Byrne, Ada.Byrne@Example.com ,Business,Finance,,Head of Finance,\n\
         Sam Osei,sam@example.com,IT,,Business Applications,,ADA.BYRNE@example.com\n"
    ))
    .unwrap();
    assert_eq!(
        rows,
        vec![
            ImportRow {
                line: 2,
                name: "Ada Byrne".into(),
                email: "ada.byrne@example.com".into(),
                side: Side::Business,
                unit: Some("Finance".into()),
                team: None,
                title: "Head of Finance".into(),
                manager_email: None,
            },
            ImportRow {
                line: 3,
                name: "Sam Osei".into(),
                email: "sam@example.com".into(),
                side: Side::It,
                unit: None,
                team: Some("Business Applications".into()),
                title: String::new(),
                manager_email: Some("ada.byrne@example.com".into()),
            },
        ]
    );
}

#[test]
fn the_template_parses() {
    assert_eq!(parse(TEMPLATE_CSV).unwrap().len(), 2);
}

#[test]
fn header_is_case_insensitive_and_order_free() {
    let rows = parse(
        "Manager Email,SIDE, Email ,Name,Team\n\
         ,it,a@example.com,Ann,Platform\n",
    )
    .unwrap();
    assert_eq!(rows[0].name, "Ann");
    assert_eq!(rows[0].team.as_deref(), Some("Platform"));
    assert_eq!(rows[0].unit, None);
    assert_eq!(rows[0].title, "");
}

#[test]
fn optional_columns_may_be_left_out() {
    let rows = parse("name,email,side\nAnn,a@example.com,business\n").unwrap();
    assert_eq!(rows[0].unit, None);
    assert_eq!(rows[0].manager_email, None);
}

#[test]
fn strips_a_byte_order_mark_and_handles_crlf() {
    let text = format!("\u{feff}{}", HEADER.replace('\n', "\r\n"))
        + "Ann,a@example.com,business,Finance,,Analyst,\r\n"
        + "Bob,b@example.com,business,Finance,,Analyst,a@example.com\r\n";
    let rows = parse(&text).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].name, "Ann");
    assert_eq!(rows[1].line, 3);
    assert_eq!(rows[1].manager_email.as_deref(), Some("a@example.com"));
    let text = format!(
        "{}\r\nAnn,a@example.com,business,,,\"Head,\r\nNorth\",\r\n\r\n\r\nBob,bob@,it,,,,\r\n",
        HEADER.trim_end()
    );
    let err = only_error(&text);
    assert_eq!(err.line, 6);
}

#[test]
fn quoted_fields_keep_commas_and_newlines() {
    let text = format!(
        "{HEADER}\"Byrne, Ada\",a@example.com,business,Finance,,\"Head of Finance,\nNorth\",\n\
         Bob,b@example.com,business,\"Retail, Stores\",,,\n\
         Cat,c@,business,Finance,,,\n"
    );
    let err = only_error(&text);
    // The quoted newline makes Bob's record start on line 4 and Cat's on line 5.
    assert_eq!(err.line, 5);
    let rows = parse(&format!(
        "{HEADER}\"Byrne, Ada\",a@example.com,business,Finance,,\"Head of Finance,\nNorth\",\n\
         Bob,b@example.com,business,\"Retail, Stores\",,,\n"
    ))
    .unwrap();
    assert_eq!(rows[0].name, "Byrne, Ada");
    assert_eq!(rows[0].title, "Head of Finance,\nNorth");
    assert_eq!(rows[1].unit.as_deref(), Some("Retail, Stores"));
    assert_eq!(rows[1].line, 4);
}

#[test]
fn blank_lines_are_skipped() {
    let text = format!("\n{HEADER}\nAnn,a@example.com,business,,,,\n\n  \n,,,,,,\nBob,b@example.com,it,,,,\n\n\n");
    let rows = parse(&text).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].line, 4);
    assert_eq!(rows[1].line, 8);
}

#[test]
fn semicolons_are_accepted() {
    let rows = parse("name;email;side;unit\nAnn;a@example.com;business;Retail, North\n").unwrap();
    assert_eq!(rows[0].unit.as_deref(), Some("Retail, North"));
}

#[test]
fn wrong_number_of_fields() {
    let errors =
        errors(&format!("{HEADER}Ann,a@example.com,business,Finance,,\nBob,b@example.com,business,Finance,,,,\n"));
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].line, 2);
    assert!(errors[0].reason.starts_with("has 6 fields but the header has 7"), "{errors:?}");
    assert_eq!(errors[1].line, 3);
    assert!(errors[1].reason.starts_with("has 8 fields"), "{errors:?}");
}

#[test]
fn non_utf8_is_a_row_error() {
    let mut data = HEADER.as_bytes().to_vec();
    data.extend_from_slice(b"Ren\xe9e,r@example.com,business,,,,\n");
    data.extend_from_slice(b"Ann,a@example.com,business,,,,\n");
    let errors = parse_people_csv(&data).unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 2);
    assert!(errors[0].reason.contains("name column has text that is not UTF-8"), "{errors:?}");
}

#[test]
fn non_utf8_header() {
    let err = parse_people_csv(b"name,em\xffail,side\nAnn,a@example.com,it\n").unwrap_err();
    assert_eq!(err.len(), 1);
    assert!(err[0].reason.contains("column 2 of the header row is not UTF-8"), "{err:?}");
}

#[test]
fn empty_files() {
    for text in ["", "\u{feff}", "\n\r\n  \n", ",,,\n , \n"] {
        let err = only_error(text);
        assert_eq!(err.line, 1);
        assert!(err.reason.starts_with("The file is empty: it needs a header row"), "{err:?}");
    }
    let err = only_error(HEADER);
    assert_eq!(err.reason, "The file has a header row but no people below it.");
}

#[test]
fn header_missing_required_columns() {
    let err = only_error("name,unit\nAnn,Finance\n");
    assert_eq!(err.line, 1);
    assert_eq!(err.reason, "the header row is missing the required columns email, side");
    let err = only_error("name,email\nAnn,a@example.com\n");
    assert_eq!(err.reason, "the header row is missing the required column side");
}

#[test]
fn header_with_unknown_or_repeated_columns() {
    let err = only_error("name,email,side,Phone,dept,email\nAnn,a@example.com,it,1,2,3\n");
    assert_eq!(err.line, 1);
    assert!(err.reason.contains("the column email appears more than once"), "{err:?}");
    assert!(err.reason.contains("unknown columns 'Phone', 'dept'"), "{err:?}");
    let err = only_error("name,email,side,\nAnn,a@example.com,it,\n");
    assert!(err.reason.contains("column 4 of the header row has no name"), "{err:?}");
}

#[test]
fn a_file_without_a_header() {
    let err = only_error("Ann,a@example.com,business\n");
    assert_eq!(err.line, 1);
    assert!(err.reason.starts_with("the first line must be a header row"), "{err:?}");
}

#[test]
fn spreadsheets_that_are_not_csv() {
    let err = parse_people_csv(b"PK\x03\x04rest-of-zip").unwrap_err();
    assert!(err[0].reason.contains("Excel workbook"));
    let err = parse_people_csv(b"\xFF\xFEn\0a\0").unwrap_err();
    assert!(err[0].reason.contains("UTF-16"));
}

#[test]
fn every_bad_row_is_listed() {
    let text = format!(
        "{HEADER}\
         Ann,a@example.com,business,Finance,,,\n\
         ,,,,,Analyst,\n\
         Bob,bob@,it,,Platform,,\n\
         Cat,c@example.com,sales,,,,\n\
         Dan,d@example.com,business,Finance,Platform,,\n\
         Eve,e@example.com,business,,Platform,,\n\
         Fay,f@example.com,it,Finance,,,\n\
         Gus,g@example.com,it,,Platform,,boss@\n\
         Hal,h@example.com,it,,Platform,,H@Example.com\n\
         Ivy,A@example.com,business,Finance,,,\n"
    );
    let errors = errors(&text);
    let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    let reasons: Vec<&str> = errors.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(reasons[0], "email is missing");
    assert_eq!(reasons[1], "name is missing");
    assert_eq!(reasons[2], "side is missing: use business or it");
    assert_eq!(reasons[3], "email 'bob@' is not a valid email address");
    assert_eq!(reasons[4], "side 'sales' is not valid: use business or it");
    assert!(reasons[5].starts_with("give a unit or a team, not both"));
    assert!(reasons[6].starts_with("team 'Platform' is given but the side is business"));
    assert!(reasons[7].starts_with("unit 'Finance' is given but the side is it"));
    assert_eq!(reasons[8], "manager_email 'boss@' is not a valid email address");
    assert_eq!(reasons[9], OWN_MANAGER);
    assert_eq!(reasons[10], "email 'a@example.com' is already used on line 2");
}

#[test]
fn long_names_and_titles_use_the_validation_message() {
    let long = "x".repeat(201);
    let errors = errors(&format!("{HEADER}{long},a@example.com,it,,,{long},\n"));
    let reasons: Vec<&str> = errors.iter().map(|e| e.reason.as_str()).collect();
    assert_eq!(reasons, vec!["name: keep the name under 200 characters", "title: keep the title under 200 characters"]);
}

#[test]
fn long_values_are_shortened_in_messages() {
    let long = format!("{}@", "b".repeat(100));
    let err = only_error(&format!("{HEADER}Bob,{long},it,,,,\n"));
    assert!(err.reason.contains('…'));
    assert!(err.reason.len() < 120, "{}", err.reason);
}

#[test]
fn row_limit() {
    let row = "A,a@example.com,business,,,,\n";
    let mut text = String::with_capacity(HEADER.len() + row.len() * (MAX_ROWS + 1));
    text.push_str(HEADER);
    for i in 0..MAX_ROWS {
        text.push_str(&format!("P{i},p{i}@example.com,business,,,,\n"));
    }
    assert_eq!(parse(&text).unwrap().len(), MAX_ROWS);
    text.push_str(row);
    let err = only_error(&text);
    assert_eq!(err.line, 1);
    assert!(err.reason.starts_with("The file has more than 50,000 people"), "{err:?}");
}

#[test]
fn errors_display_with_their_line() {
    let err = RowError::new(4, "email 'bob@' is not a valid email address");
    assert_eq!(err.to_string(), "line 4: email 'bob@' is not a valid email address");
}

#[test]
fn digits_are_grouped() {
    assert_eq!(group_digits(50_000), "50,000");
    assert_eq!(group_digits(999), "999");
    assert_eq!(group_digits(1_234_567), "1,234,567");
}

fn rows(text: &str) -> Vec<ImportRow> {
    parse(&format!("{HEADER}{text}")).unwrap()
}

#[test]
fn resolves_names_case_insensitively_and_finds_updates() {
    let units = map(&[("finance", 1), ("retail stores", 2)]);
    let teams = map(&[("platform", 10)]);
    let emails = map(&[("boss@example.com", 100), ("b@example.com", 101)]);
    let rows = rows(
        "Ann,a@example.com,business, FINANCE ,,Analyst,Boss@example.com\n\
         Bob,B@example.com,it,,Platform,Engineer,a@example.com\n",
    );
    let people = resolve(&rows, &units, &teams, &emails).unwrap();
    assert_eq!(people.len(), 2);
    assert_eq!(people[0].unit_id, Some(1));
    assert_eq!(people[0].existing_id, None);
    assert_eq!(people[0].manager_id, Some(100));
    assert_eq!(people[1].team_id, Some(10));
    assert_eq!(people[1].existing_id, Some(101));
    assert_eq!(people[1].manager_email.as_deref(), Some("a@example.com"));
    assert_eq!(people[1].manager_id, None);
    assert_eq!(summarise(&people), ImportSummary { created: 1, updated: 1 });
    let input = people[1].person_input(Some(7));
    assert_eq!(input.side, "it");
    assert_eq!(input.manager_id, Some(7));
    assert!(validate_person(&input).is_ok());
}

#[test]
fn known_maps_need_not_be_lower_cased() {
    let units = map(&[("Finance", 1)]);
    let emails = map(&[("Boss@Example.com", 100)]);
    let rows = rows("Ann,a@example.com,business,finance,,,boss@example.com\n");
    let people = resolve(&rows, &units, &HashMap::new(), &emails).unwrap();
    assert_eq!(people[0].unit_id, Some(1));
    assert_eq!(people[0].manager_id, Some(100));
}

#[test]
fn unknown_names_and_managers_are_row_errors() {
    let units = map(&[("finance", 1)]);
    let teams = map(&[("platform", 10)]);
    let rows = rows(
        "Ann,a@example.com,business,Finanse,,,\n\
         Bob,b@example.com,it,,Data,,\n\
         Cat,c@example.com,it,,Platform,,nobody@example.com\n\
         Dan,d@example.com,business,Finance,,,\n",
    );
    let errors = resolve(&rows, &units, &teams, &HashMap::new()).unwrap_err();
    assert_eq!(
        errors,
        vec![
            RowError::new(2, "unit 'Finanse' does not exist: create the business unit first or correct the name"),
            RowError::new(3, "team 'Data' does not exist: create the IT team first or correct the name"),
            RowError::new(
                4,
                "manager_email 'nobody@example.com' is neither a person in Bridge nor a person in this file"
            ),
        ]
    );
}

#[test]
fn managers_in_the_file_come_first() {
    let rows = rows(
        "Ann,a@example.com,it,,,,c@example.com\n\
         Bob,b@example.com,it,,,,a@example.com\n\
         Cat,c@example.com,it,,,,\n\
         Dan,d@example.com,it,,,,b@example.com\n",
    );
    let none = HashMap::new();
    let people = resolve(&rows, &none, &none, &none).unwrap();
    let order: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(order, vec!["Cat", "Ann", "Bob", "Dan"]);
    for (i, person) in people.iter().enumerate() {
        if let Some(manager) = &person.manager_email {
            assert!(people[..i].iter().any(|p| &p.email == manager));
        }
    }
}

#[test]
fn manager_loops_are_errors() {
    let rows = rows(
        "Ann,a@example.com,it,,,,b@example.com\n\
         Bob,b@example.com,it,,,,a@example.com\n\
         Cat,c@example.com,it,,,,a@example.com\n",
    );
    let none = HashMap::new();
    let errors = resolve(&rows, &none, &none, &none).unwrap_err();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].line, 2);
    assert_eq!(errors[1].line, 3);
    assert!(errors[0].reason.contains("form a loop (a@example.com → b@example.com → a@example.com)"), "{errors:?}");
}

#[test]
fn resolve_checks_duplicates_and_own_manager_too() {
    let row = |line: usize, email: &str, manager: Option<&str>| ImportRow {
        line,
        name: "X".into(),
        email: email.into(),
        side: Side::It,
        unit: None,
        team: None,
        title: String::new(),
        manager_email: manager.map(str::to_string),
    };
    let rows = vec![
        row(2, "a@example.com", None),
        row(5, "A@example.com", None),
        row(6, "c@example.com", Some("c@example.com")),
    ];
    let none = HashMap::new();
    let errors = resolve(&rows, &none, &none, &none).unwrap_err();
    assert_eq!(
        errors,
        vec![RowError::new(5, "email 'a@example.com' is already used on line 2"), RowError::new(6, OWN_MANAGER),]
    );
}
