mod checker;
mod glossary;
