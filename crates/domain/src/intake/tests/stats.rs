use crate::intake::stats::*;

#[test]
fn no_durations_no_figures() {
    assert_eq!(response_stats(&[]), ResponseStats { count: 0, median_secs: None, p90_secs: None });
}

#[test]
fn one_duration_is_its_own_median_and_p90() {
    let s = response_stats(&[42]);
    assert_eq!((s.count, s.median_secs, s.p90_secs), (1, Some(42), Some(42)));
}

#[test]
fn median_of_odd_and_even_counts() {
    // Odd: the middle value, whatever the input order.
    assert_eq!(response_stats(&[300, 100, 200]).median_secs, Some(200));
    // Even: halfway between the two middle values.
    assert_eq!(response_stats(&[100, 400, 200, 300]).median_secs, Some(250));
    assert_eq!(response_stats(&[1, 2]).median_secs, Some(2)); // 1.5 rounds up
}

#[test]
fn ninetieth_percentile_interpolates() {
    let ten: Vec<u64> = (1..=10).collect();
    // Rank 0.9 × 9 = 8.1 → 9 + 0.1 × (10 − 9) = 9.1.
    assert_eq!(percentile(&ten, 90.0), Some(9.1));
    assert_eq!(percentile(&ten, 50.0), Some(5.5));
    assert_eq!(percentile(&ten, 0.0), Some(1.0));
    assert_eq!(percentile(&ten, 100.0), Some(10.0));
    let s = response_stats(&ten);
    assert_eq!((s.count, s.median_secs, s.p90_secs), (10, Some(6), Some(9)));

    let hundred: Vec<u64> = (1..=100).rev().collect();
    let s = response_stats(&hundred);
    // Rank 0.9 × 99 = 89.1 → 90.1.
    assert_eq!(s.p90_secs, Some(90));
    assert_eq!(s.median_secs, Some(51)); // 50.5 rounds up

    // A long tail shows in the 90th percentile, not the median.
    let hour = 3600;
    let mut d = vec![2 * hour; 9];
    d.push(200 * hour);
    let s = response_stats(&d);
    assert_eq!(s.median_secs, Some(2 * hour));
    // Rank 8.1 → 2h + 0.1 × 198h = 21.8 hours.
    assert_eq!(s.p90_secs, Some(78_480));
}

#[test]
fn durations_in_plain_words() {
    let cases = [
        (0, "under a minute"),
        (59, "under a minute"),
        (60, "1 minute"),
        (89, "1 minute"),
        (90, "2 minutes"),
        (35 * 60, "35 minutes"),
        (3599, "1 hour"),
        (3600, "1 hour"),
        (3600 + 60, "1 hour 1 minute"),
        (3 * 3600 + 20 * 60, "3 hours 20 minutes"),
        (23 * 3600 + 59 * 60 + 40, "1 day"),
        (86_400, "1 day"),
        (86_400 + 3600, "1 day 1 hour"),
        (2 * 86_400 + 4 * 3600, "2 days 4 hours"),
        (2 * 86_400 + 4 * 3600 + 29 * 60, "2 days 4 hours"),
        (2 * 86_400 + 4 * 3600 + 31 * 60, "2 days 5 hours"),
        (45 * 86_400, "45 days"),
        (u64::MAX, "213503982334601 days 7 hours"),
    ];
    for (secs, words) in cases {
        assert_eq!(format_duration(secs), words, "{secs}");
    }
}
