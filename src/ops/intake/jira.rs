//! Importing a Jira export as draft requests.
//!
//! ## Jira CSV mapping
//!
//! The first line names the columns (any order, any letter case; unknown columns are ignored):
//!
//! | Jira column | becomes |
//! | --- | --- |
//! | `Summary` (required) | the title (at most 200 characters) |
//! | `Description` | the problem or opportunity |
//! | `Reporter` | the sponsor: a person in the directory, by email or full name; empty leaves it open |
//! | `Created` | when the request was created (`2024-03-05`, `2024-03-05 14:30`, or Jira's `05/Mar/24 2:30 PM`) |
//! | `Issue key`, `Status`, `Priority` | kept as the request's source note ("Jira SHOP-12, status To Do, priority High") |
//!
//! Every row becomes a **draft**: Jira statuses and priorities do not map onto Bridge's
//! lifecycle and scores, so the business side completes each request and submits it. The business
//! unit is the sponsor's. All rows are checked first; if any is bad, nothing is imported and every
//! bad row is listed with its line number.
//!
//! Importing the same issues again adds nothing twice: an issue (by its key) imported before
//! updates its request while that is still a draft and the file says something new, and is
//! skipped otherwise. The page shows what an import would do before it does it, and an
//! administrator can undo an import (its untouched drafts go).

use std::collections::HashMap;

use bridge_domain::intake::{validate_request, RequestInput, Status, ValidRequest};
use bridge_domain::org::import::RowError;
use bridge_domain::text::capitalise;
use bridge_domain::Error;

use crate::ops::Caller;
use crate::store::intake::imports::{ImportUpdate, KnownRequest};
use crate::store::intake::SeedRequest;
use crate::store::Db;

/// One Jira row, read but not yet resolved against the directory.
#[derive(Debug, Clone, PartialEq)]
pub struct JiraRow {
    pub line: usize,
    pub key: String,
    pub summary: String,
    pub description: String,
    pub reporter: String,
    /// Epoch milliseconds, when the row had a Created date.
    pub created: Option<i64>,
    pub status: String,
    pub priority: String,
}

/// Reads a Jira CSV export. Returns the good rows and one error per bad row.
pub fn parse_jira_csv(data: &[u8]) -> (Vec<JiraRow>, Vec<RowError>) {
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(data);
    let mut errors = Vec::new();
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_lowercase()).collect::<Vec<_>>(),
        Err(e) => {
            return (vec![], vec![RowError { line: 1, reason: format!("The file could not be read as CSV: {e}") }])
        }
    };
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let Some(summary_col) = col(&["summary", "title"]) else {
        return (
            vec![],
            vec![RowError {
                line: 1,
                reason: "The first line must name the columns and include Summary (the title).".into(),
            }],
        );
    };
    let (desc, reporter, created, status, priority, key) = (
        col(&["description"]),
        col(&["reporter", "reporter email"]),
        col(&["created"]),
        col(&["status"]),
        col(&["priority"]),
        col(&["issue key", "key"]),
    );
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError { line, reason: format!("This line could not be read: {e}") });
                continue;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim().to_string();
        let summary = get(Some(summary_col));
        let mut problems = Vec::new();
        if summary.is_empty() {
            problems.push("the Summary is empty: every request needs a title".to_string());
        } else if summary.chars().count() > bridge_domain::intake::request::MAX_TITLE_CHARS {
            problems.push("the Summary is longer than 200 characters".to_string());
        }
        let created_text = get(created);
        let created_ms = if created_text.is_empty() {
            None
        } else {
            match parse_jira_date(&created_text) {
                Some(ms) => Some(ms),
                None => {
                    problems.push(format!(
                        "Created \u{201c}{created_text}\u{201d} is not a date (use 2024-03-05, 2024-03-05 14:30 or 05/Mar/24 2:30 PM)"
                    ));
                    None
                }
            }
        };
        if !problems.is_empty() {
            errors.push(RowError { line, reason: capitalise(&problems.join("; ")) + "." });
            continue;
        }
        rows.push(JiraRow {
            line,
            key: get(key),
            summary,
            description: get(desc),
            reporter: get(reporter),
            created: created_ms,
            status: get(status),
            priority: get(priority),
        });
    }
    (rows, errors)
}

/// Jira's and ISO dates: `2024-03-05`, `2024-03-05 14:30[:ss]`, `2024-03-05T14:30:00`,
/// `05/Mar/24 2:30 PM`, `05/Mar/2024 14:30`, `05/Mar/24`. Read as UTC.
pub fn parse_jira_date(s: &str) -> Option<i64> {
    use chrono::{NaiveDate, NaiveDateTime};
    let s = s.trim();
    let datetime_formats = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%d/%b/%y %I:%M %p",
        "%d/%b/%Y %I:%M %p",
        "%d/%b/%y %H:%M",
        "%d/%b/%Y %H:%M",
    ];
    for f in datetime_formats {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(d.and_utc().timestamp_millis());
        }
    }
    for f in ["%Y-%m-%d", "%d/%b/%y", "%d/%b/%Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return d.and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp_millis());
        }
    }
    None
}

/// What importing a file would do: new drafts, drafts it would update, issues it skips, and the
/// rows it cannot read. Nothing is written while planning.
#[derive(Debug, Default)]
pub struct JiraPlan {
    pub new: Vec<SeedRequest>,
    pub updates: Vec<ImportUpdate>,
    pub skipped: Vec<Skipped>,
    pub errors: Vec<RowError>,
}

/// An issue the import leaves as it is, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub line: usize,
    pub key: String,
    pub why: &'static str,
}

/// What an import did.
#[derive(Debug, Clone)]
pub struct JiraImported {
    pub import_id: i64,
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
}

/// The key a Jira issue is known by once imported.
fn external_key(jira_key: &str) -> Option<String> {
    let key = jira_key.trim();
    (!key.is_empty()).then(|| format!("jira:{}", key.to_uppercase()))
}

/// Plans an import: every row is checked; an issue imported before is updated while its request
/// is still an untouched-by-workflow draft and differs, and skipped otherwise.
pub async fn plan_jira(db: &Db, caller: &Caller, data: &[u8]) -> Result<JiraPlan, Error> {
    caller.require_write()?;
    let author_id = caller.person_id;
    let (rows, mut errors) = parse_jira_csv(data);
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError {
            line: 1,
            reason: "The file has no requests: add at least one row under the header.".into(),
        });
    }
    let people = db.email_ids().await?;
    let directory = db.people_brief().await?;
    let keys: Vec<String> = rows.iter().filter_map(|r| external_key(&r.key)).collect();
    let known: HashMap<String, KnownRequest> =
        db.known_requests(&keys).await?.into_iter().map(|k| (k.external_key.clone(), k)).collect();
    let today = super::today();
    let now = crate::store::now_ms();
    let mut plan = JiraPlan::default();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &rows {
        let key = external_key(&row.key);
        if let Some(k) = &key {
            if let Some(first) = seen.insert(k.clone(), row.line) {
                errors.push(RowError {
                    line: row.line,
                    reason: format!("Issue {} is also on line {first}: keep one of the two rows.", row.key),
                });
                continue;
            }
        }
        let sponsor = if row.reporter.is_empty() {
            None
        } else {
            let r = row.reporter.to_lowercase();
            let by_email = people.get(&r).copied();
            let by_name = directory.iter().filter(|p| p.name.to_lowercase() == r).collect::<Vec<_>>();
            match (by_email, by_name.as_slice()) {
                (Some(id), _) => directory.iter().find(|p| p.id == id),
                (None, [one]) => Some(*one),
                (None, []) => {
                    errors.push(RowError {
                        line: row.line,
                        reason: format!(
                            "Reporter \u{201c}{}\u{201d} is not in the directory: add them first, use their email, or clear the cell.",
                            row.reporter
                        ),
                    });
                    continue;
                }
                (None, _) => {
                    errors.push(RowError {
                        line: row.line,
                        reason: format!(
                            "More than one person is called \u{201c}{}\u{201d}: use the reporter's email instead.",
                            row.reporter
                        ),
                    });
                    continue;
                }
            }
        };
        let input = RequestInput {
            title: row.summary.clone(),
            problem: row.description.clone(),
            sponsor_id: sponsor.map(|p| p.id),
            business_unit_id: sponsor.and_then(|p| p.unit_id),
            ..Default::default()
        };
        let body: ValidRequest = match validate_request(&input, &today) {
            Ok(v) => v,
            Err(Error::Validation { fields, .. }) => {
                errors.push(RowError { line: row.line, reason: fields.into_values().collect::<Vec<_>>().join(" ") });
                continue;
            }
            Err(e) => return Err(e),
        };
        let source = source_note(row);
        match key.as_ref().and_then(|k| known.get(k)) {
            Some(k) if k.status != Status::Draft => plan.skipped.push(Skipped {
                line: row.line,
                key: row.key.clone(),
                why: "already submitted: change it in Bridge",
            }),
            Some(k) => {
                let before: Option<ValidRequest> = serde_json::from_str(&k.body).ok();
                let same = before.as_ref().is_some_and(|b| {
                    b.title == body.title
                        && b.problem == body.problem
                        && b.sponsor_id == body.sponsor_id
                        && b.business_unit_id == body.business_unit_id
                });
                if same {
                    plan.skipped.push(Skipped {
                        line: row.line,
                        key: row.key.clone(),
                        why: "unchanged since the last import",
                    });
                } else {
                    // Only the columns Jira gives change; what was added in Bridge stays.
                    let mut merged = before.unwrap_or_else(|| body.clone());
                    merged.title = body.title;
                    merged.problem = body.problem;
                    merged.sponsor_id = body.sponsor_id;
                    merged.business_unit_id = body.business_unit_id;
                    plan.updates.push(ImportUpdate { id: k.id, version: k.version, body: merged, source });
                }
            }
            None => {
                let mut seed = SeedRequest::draft(body, author_id, row.created.unwrap_or(now));
                seed.updated_at = now;
                seed.source = source;
                seed.external_key = key;
                plan.new.push(seed);
            }
        }
    }
    errors.sort_by_key(|e| e.line);
    plan.errors = errors;
    Ok(plan)
}

/// "Jira SHOP-12, status To Do, priority High": where an imported request came from.
fn source_note(row: &JiraRow) -> String {
    let mut source = String::from("Jira");
    if !row.key.is_empty() {
        source.push(' ');
        source.push_str(&row.key);
    }
    if !row.status.is_empty() {
        source.push_str(&format!(", status {}", row.status));
    }
    if !row.priority.is_empty() {
        source.push_str(&format!(", priority {}", row.priority));
    }
    source
}

/// Imports a Jira CSV, all rows or none: new issues become drafts, issues imported before update
/// their drafts or are skipped. The inner `Err` lists every bad row.
pub async fn import_jira(db: &Db, caller: &Caller, data: &[u8]) -> Result<Result<JiraImported, Vec<RowError>>, Error> {
    let plan = plan_jira(db, caller, data).await?;
    if !plan.errors.is_empty() {
        return Ok(Err(plan.errors));
    }
    let import_id = db.record_import(&caller.actor, "Jira", &plan.new, &plan.updates, plan.skipped.len()).await?;
    Ok(Ok(JiraImported {
        import_id,
        created: plan.new.len(),
        updated: plan.updates.len(),
        skipped: plan.skipped.len(),
    }))
}

/// Removes what an import made that nobody has changed since (administrators); answers
/// (removed, kept).
pub async fn undo_import(db: &Db, caller: &Caller, import_id: i64) -> Result<(u64, u64), Error> {
    caller.require_admin()?;
    db.undo_import(&caller.actor, import_id).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jira_columns_in_any_order_and_reports_bad_rows() {
        let csv = "Issue key,Priority,Summary,Reporter,Created,Status,Description\n\
                   SHOP-1,High,Faster checkout,rajesh.menon@alderbrook.example,05/Mar/24 2:30 PM,To Do,Cart drops 12%\n\
                   SHOP-2,Low,,x@y.example,2024-03-05,Done,\n\
                   SHOP-3,Low,Tills,,yesterday,Done,\n";
        let (rows, errors) = parse_jira_csv(csv.as_bytes());
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].summary, "Faster checkout");
        assert_eq!(rows[0].key, "SHOP-1");
        assert_eq!(rows[0].created, parse_jira_date("2024-03-05 14:30"));
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![3, 4]);
        assert!(errors[0].reason.contains("Summary"));
        assert!(errors[1].reason.contains("yesterday"));
    }

    #[test]
    fn a_file_without_summary_is_refused_at_line_1() {
        let (_, errors) = parse_jira_csv(b"Title2,Description\nx,y\n");
        assert_eq!(errors[0].line, 1);
    }
}
