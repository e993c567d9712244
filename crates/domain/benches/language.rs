//! Jargon checker benchmarks: building the checker from 10,000 terms, checking 1 MB of text and
//! checking + annotating a 3 KB request description.
//!
//! Run: `cargo bench -p bridge-domain --bench language`

use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

use bridge_domain::language::{annotate_html, starter_glossary, Checker, CheckerTerm};
use bridge_domain::org::Side;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// A small deterministic generator (xorshift64*), so every run sees the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SYLLABLES: &[&str] = &[
    "zor", "bex", "qua", "lim", "tor", "vek", "ny", "sul", "dra", "mo", "pex", "kin", "fal", "rud", "ji", "wos", "gar",
    "tel", "xu", "bri",
];

/// The starter glossary plus synthetic terms ("zorbex 123", "QZTR", ...) up to `n` terms.
fn glossary(n: usize) -> Vec<CheckerTerm> {
    let mut terms: Vec<CheckerTerm> =
        starter_glossary().iter().enumerate().map(|(i, e)| e.to_checker_term(i as i64)).collect();
    let mut seen: HashSet<String> =
        terms.iter().flat_map(|t| std::iter::once(&t.term).chain(&t.aliases)).map(|s| s.to_lowercase()).collect();
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    while terms.len() < n {
        let i = terms.len();
        let name = if i.is_multiple_of(3) {
            // An acronym of 4-5 capitals starting with Q or X, unlike real English words.
            let len = 4 + rng.below(2);
            let mut s = String::from(if rng.below(2) == 0 { "Q" } else { "X" });
            while s.len() < len {
                s.push((b'A' + rng.below(26) as u8) as char);
            }
            s
        } else {
            let mut word = String::new();
            for _ in 0..2 + rng.below(2) {
                let syllable: &str = SYLLABLES[rng.below(SYLLABLES.len())];
                word.push_str(syllable);
            }
            format!("{word} {}", rng.below(1000))
        };
        if !seen.insert(name.to_lowercase()) {
            continue;
        }
        let aliases = if i % 4 == 1 { vec![format!("{name} plan")] } else { vec![] };
        for a in &aliases {
            seen.insert(a.to_lowercase());
        }
        terms.push(CheckerTerm {
            id: i as i64,
            term: name,
            aliases,
            side: if i.is_multiple_of(2) { Side::It } else { Side::Business },
            definition: format!("A synthetic definition for benchmark term number {i}."),
        });
    }
    terms
}

/// Everyday request words (some non-ASCII), separated by single spaces.
const FILLER: &str = "the team needs a report that shows our customers by region and we would like to see it every \
    morning before nine because sales managers plan their day around those numbers currently \
    someone copies data from two spreadsheets which takes hours is error-prone please make this \
    automatic if possible café naïve Zürich — l’équipe São Paulo Kraków smörgåsbord über request \
    approval budget quarter supplier invoice delivery warehouse stock price discount order login \
    screen button email export";

/// About `bytes` of text with a glossary name every ~20 words (sometimes plural or
/// possessive), an unknown acronym now and then, and some non-ASCII words and emoji.
fn text(bytes: usize, terms: &[CheckerTerm], seed: u64) -> String {
    let filler: Vec<&str> = FILLER.split(' ').collect();
    let mut rng = Rng(seed);
    let mut out = String::with_capacity(bytes + 100);
    let mut words_in_sentence = 0;
    while out.len() < bytes {
        let roll = rng.below(100);
        let word: String = if roll < 5 {
            let t = rng.pick(terms);
            let name = if !t.aliases.is_empty() && rng.below(2) == 0 { &t.aliases[0] } else { &t.term };
            match rng.below(6) {
                0 => format!("{name}s"),
                1 => format!("{name}'s"),
                _ => name.clone(),
            }
        } else if roll == 5 && rng.below(4) == 0 {
            ["QZX", "ZZTOP", "VPCs", "WMS", "🚀"][rng.below(5)].to_string()
        } else {
            (*rng.pick(&filler)).to_string()
        };
        if words_in_sentence == 0 {
            let mut c = word.chars();
            if let Some(first) = c.next() {
                out.extend(first.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push_str(&word);
        }
        words_in_sentence += 1;
        if words_in_sentence > 8 + rng.below(12) {
            out.push_str(if rng.below(5) == 0 { ".\n" } else { ". " });
            words_in_sentence = 0;
        } else if rng.below(12) == 0 {
            out.push_str(", ");
        } else {
            out.push(' ');
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let terms = glossary(10_000);
    let checker = Checker::new(&terms);
    let big = text(1_000_000, &terms, 7);
    let small = text(3_000, &terms[..terms.len().min(400)], 11);
    {
        let found = checker.check(&big, Side::Business);
        println!(
            "glossary: {} terms; 1 MB text: {} bytes, {} findings for a business reader",
            checker.len(),
            big.len(),
            found.len()
        );
        // Single runs as well as Criterion's mean: on a shared machine the median of many single
        // checks shows the checker's own speed when neighbours make the mean jump.
        let mut times: Vec<f64> = (0..300)
            .map(|_| {
                let t = std::time::Instant::now();
                black_box(checker.check(black_box(&big), Side::Business));
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!("check 1 MB, 300 single runs: fastest {:.2} ms, median {:.2} ms", times[0], times[150]);
        let found = checker.check(&small, Side::Business);
        println!("3 KB text: {} bytes, {} findings", small.len(), found.len());
    }

    let mut g = c.benchmark_group("language");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    g.bench_function("build_checker_10k_terms", |b| b.iter(|| Checker::new(black_box(&terms))));
    g.finish();

    let mut g = c.benchmark_group("language");
    g.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    g.throughput(Throughput::Bytes(big.len() as u64));
    g.bench_function("check_1mb", |b| b.iter(|| checker.check(black_box(&big), Side::Business)));
    g.throughput(Throughput::Bytes(small.len() as u64));
    g.bench_function("check_and_annotate_3kb", |b| {
        b.iter(|| {
            let findings = checker.check(black_box(&small), Side::Business);
            annotate_html(&small, &findings)
        })
    });
    g.finish();
}

criterion_group!(language, benches);
criterion_main!(language);
