//! The error answers every operation can give, added to the OpenAPI document by rule so no
//! operation forgets one: a client reading only the document knows every status it may see.

use utoipa::openapi::path::Operation;
use utoipa::openapi::{Content, OpenApi, Ref, RefOr, ResponseBuilder};

/// Adds the error statuses an operation can answer to each one that does not document them:
/// 400 (a malformed query, path or body), 401 (no or bad token), 403 (not allowed), 422 (a value
/// breaks a rule, also in a query); 404 where the path names something; 409 for writes; 413
/// and 415 where there is a body.
pub fn document_errors(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let names_something = path.contains('{');
        let operations =
            [(&mut item.get, false), (&mut item.post, true), (&mut item.put, true), (&mut item.delete, true)];
        for (operation, writes) in operations {
            if let Some(op) = operation.as_mut() {
                let has_body = op.request_body.is_some();
                add(op, "400", "The request is malformed: a query, path or body the API cannot read.");
                add(op, "401", "No token was sent, or it is not valid (expired, revoked, or the account disabled).");
                add(op, "403", "Your role may not do this.");
                add(op, "422", "A value breaks a rule; `fields` says which and why.");
                if names_something {
                    add(op, "404", "Nothing has this id.");
                }
                if writes {
                    add(op, "409", "This clashes with what exists: a duplicate, a step not possible now, or a stale version (`stale`).");
                }
                if has_body {
                    add(op, "413", "The body is too large.");
                    add(op, "415", "The body is not of the content type this operation reads.");
                }
            }
        }
    }
}

fn add(op: &mut Operation, status: &str, description: &str) {
    op.responses.responses.entry(status.to_string()).or_insert_with(|| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
                .build(),
        )
    });
}
