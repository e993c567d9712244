//! Form controls for intake's forms: one input, its label, value, error and hint.

use std::collections::HashMap;

use bridge_domain::FieldErrors;

use crate::web::pages::Opt;

/// One form control, rendered by `templates/intake/fields.html`.
pub struct Cell {
    /// The form field name sent back.
    pub name: String,
    /// The field name errors and hints use (`metrics[0].baseline`); also the element id.
    pub key: String,
    pub label: String,
    /// text, number, date, textarea
    pub kind: &'static str,
    pub value: String,
    pub error: Option<String>,
    pub hint: Option<String>,
}

impl Cell {
    pub fn new(name: &str, key: &str, label: &str, kind: &'static str, value: &str, errors: &FieldErrors) -> Cell {
        Cell {
            name: name.into(),
            key: key.into(),
            label: label.into(),
            kind,
            value: value.into(),
            error: errors.get(key).cloned(),
            hint: None,
        }
    }
    pub fn hinted(mut self, hints: &HashMap<String, String>) -> Cell {
        if self.error.is_none() {
            self.hint = hints.get(&self.key).cloned();
        }
        self
    }
}

/// A select with its label and error.
pub struct Choice {
    pub name: String,
    pub key: String,
    pub label: String,
    pub options: Vec<Opt>,
    pub error: Option<String>,
    pub hint: Option<String>,
}

impl Choice {
    pub fn new(name: &str, key: &str, label: &str, options: Vec<Opt>, errors: &FieldErrors) -> Choice {
        Choice {
            name: name.into(),
            key: key.into(),
            label: label.into(),
            options,
            error: errors.get(key).cloned(),
            hint: None,
        }
    }
    pub fn hinted(mut self, hints: &HashMap<String, String>) -> Choice {
        if self.error.is_none() {
            self.hint = hints.get(&self.key).cloned();
        }
        self
    }
}

pub struct Check {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}
