//! Demo intake data: about 40 requests of Alder & Brook Outfitters across every state, with
//! assessments, decisions with reasons, priorities and conversations; and a generator of any
//! number of synthetic requests for benchmarks (`bridge demo --requests 100000`).

use std::collections::HashMap;

use bridge_domain::audit::Actor;
use bridge_domain::intake::{
    validate_assessment, validate_request, ActionKind, AssessmentInput, MetricInput, OptionInput, PriorityInput,
    RatingInput, RequestInput, StakeholderInput, Status, ValidRequest,
};
use bridge_domain::org::Side;
use bridge_domain::Error;

use crate::store::intake::{SeedComment, SeedEvent, SeedRequest};
use crate::store::notifications::Notice;
use crate::store::org::GroupKind;
use crate::store::Db;
use bridge_domain::notify::NoticeKind;

const DAY: i64 = 24 * 3600 * 1000;
const HOUR: i64 = 3600 * 1000;

/// (title, unit, sponsor email local part, problem, metric name, unit, baseline, target)
type DemoRow =
    (&'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str, &'static str);

const REQUESTS: &[DemoRow] = &[
    ("Same-day refunds for online returns in stores", "Customer Service", "diego.fernandez", "Store staff re-key about 340 online returns a week by hand, which costs 28 hours of till time and delays refunds by four days.", "Hours spent re-keying returns", "hours per week", "28", "2"),
    ("Click and collect lockers at flagship stores", "Retail Stores", "declan.murphy", "Click-and-collect queues at the six flagship stores reach 15 minutes on Saturdays and 9% of parcels are collected late.", "Average collection wait", "minutes", "15", "3"),
    ("Stock visibility across stores on the web shop", "E-commerce", "sofia.lindqvist", "The web shop cannot show store stock, so 22% of customers who ask chat about availability leave without buying.", "Chats about store stock", "per week", "1900", "600"),
    ("Demand forecast for seasonal tents", "Supply Chain", "fiona.walsh", "We over-ordered tents by 18% last summer and wrote off 240,000 EUR of stock in the autumn sale.", "Forecast error on tents", "percent", "18", "8"),
    ("Replace the paper repair tickets", "Customer Service", "diego.fernandez", "Repairs are tracked on paper tickets; 1 in 12 goes missing and customers call three times on average to ask about progress.", "Calls about repair progress", "per repair", "3", "1"),
    ("Loyalty points at the till", "Marketing", "niamh.gallagher", "Trailhead members cannot earn points in stores, so 40% of members only buy online and store spend per member is half of online.", "Members earning in store", "percent", "0", "60"),
    ("Automated supplier invoice matching", "Finance", "samuel.osei", "The finance team matches 4,200 supplier invoices a month by hand and pays 1.2% of them twice.", "Invoices matched by hand", "per month", "4200", "800"),
    ("Route planning for home deliveries of kayaks", "Supply Chain", "kwame.asante", "Bulky deliveries are planned in a spreadsheet; vans run 30% empty and 1 in 8 slots is missed.", "Missed delivery slots", "percent", "12", "3"),
    ("Staff scheduling app for stores", "Retail Stores", "grace.mensah", "Rotas are built in spreadsheets each week, taking managers 6 hours per store and leaving peaks understaffed.", "Hours building rotas", "hours per store per week", "6", "1"),
    ("Product reviews on the web shop", "E-commerce", "isabel.costa", "Products without reviews convert at 1.1% against 2.6% for reviewed ones, and half the range has none.", "Products with reviews", "percent", "48", "85"),
    ("Marketplace listing on two new platforms", "E-commerce", "hannah.goldberg", "We sell on one marketplace only and miss an estimated 2 million EUR a year of outdoor demand elsewhere.", "Marketplace revenue", "EUR million per year", "3.1", "5"),
    ("Month-end close in five days", "Finance", "catherine.doyle", "Month-end close takes 11 working days, so the board sees figures three weeks after the month ends.", "Working days to close", "days", "11", "5"),
    ("Campaign results dashboard", "Marketing", "zara.ahmed", "Campaign results arrive four weeks late from three spreadsheets, so we cannot stop campaigns that do not work.", "Days until results", "days", "28", "2"),
    ("Self-service returns portal", "Customer Service", "lucy.evans", "A third of the 9,000 monthly contact-centre calls are customers asking how to return an item.", "Return-how calls", "per month", "3000", "900"),
    ("Warehouse scanners for the Daventry DC", "Supply Chain", "mei.chen", "Pickers use scanners that are eight years old; 14 a week break and picking stops for 20 minutes each time.", "Picking minutes lost", "minutes per week", "280", "30"),
    ("Store Wi-Fi for customers", "Retail Stores", "aisha.rahman", "Customers cannot check reviews or stock in stores because mobile signal is poor in 40 of 62 stores.", "Stores with customer Wi-Fi", "stores", "0", "62"),
    ("Gift cards that work online and in stores", "Marketing", "jamal.carter", "Gift cards bought online cannot be spent in stores, which causes 600 complaints every January.", "Gift card complaints", "per January", "600", "50"),
    ("Budget planning tool for unit heads", "Finance", "leila.haddad", "Twelve unit heads send budget spreadsheets that take FP&A three weeks to merge and check each year.", "Weeks to merge budgets", "weeks", "3", "1"),
    ("Carbon footprint per product", "Executive Office", "chloe.martin", "Customers and two large wholesale buyers ask for the carbon footprint of products; we cannot answer for any of them.", "Products with a footprint", "percent", "0", "70"),
    ("Live chat on the web shop", "Customer Service", "patrick.nwosu", "Email answers take 31 hours on average; 1 in 5 customers emails twice about the same order.", "Time to first answer", "hours", "31", "1"),
    ("Supplier portal for purchase orders", "Finance", "ben.thornton", "Purchase orders go out by email and 7% are keyed wrongly by suppliers, causing short deliveries.", "Purchase orders with errors", "percent", "7", "1"),
    ("Personalised product recommendations", "E-commerce", "marcus.bell", "Every visitor sees the same best-sellers; the average basket holds 1.3 items against 2.1 in stores.", "Items per online basket", "items", "1.3", "1.8"),
    ("Store footfall counters", "Retail Stores", "priya.shah", "We do not know how many people enter stores, so conversion cannot be measured in any of the 62 stores.", "Stores measuring conversion", "stores", "0", "62"),
    ("Automated stock replenishment for stores", "Supply Chain", "arjun.patel", "Store managers order by eye; 11% of lines are out of stock on Saturdays while back rooms overflow.", "Saturday out-of-stocks", "percent of lines", "11", "4"),
    ("Customer data in one place", "Marketing", "hiroshi.sato", "Customer records sit in five systems with 30% duplicates, so 1 in 4 mailings goes to the same person twice.", "Duplicate customer records", "percent", "30", "5"),
    ("Digital expense claims", "Finance", "samuel.osei", "Staff post 2,000 paper expense claims a month; each takes finance 12 minutes to check and key.", "Minutes per claim", "minutes", "12", "2"),
    ("Training videos for seasonal staff", "Retail Stores", "ewan.fraser", "We hire 400 seasonal staff each spring and train them in person for two days, costing 180,000 EUR.", "Training days per hire", "days", "2", "0.5"),
    ("Board reporting pack automation", "Executive Office", "helen.achterberg", "The monthly board pack takes four people five days to assemble from twelve reports.", "Person-days per board pack", "person-days", "20", "4"),
    ("Faster product photo publishing", "E-commerce", "yuki.tanaka", "New products wait nine days for photos to reach the web shop, missing the first weeks of the season.", "Days from photo to web", "days", "9", "2"),
    ("Returns fraud detection", "Customer Service", "callum.reid", "About 2% of returns are fraudulent, costing 310,000 EUR a year, and we catch fewer than one in ten.", "Fraudulent returns caught", "percent", "8", "60"),
    ("Transport cost tracking per order", "Supply Chain", "kwame.asante", "We cannot see what each order costs to deliver, so free delivery thresholds are set by guesswork.", "Orders with a known delivery cost", "percent", "0", "95"),
    ("Quality checks for call recordings", "Customer Service", "ruth.abebe", "Team leaders listen to 2% of calls for quality, picked by hand, and coaching reaches agents a month late.", "Calls reviewed", "percent", "2", "20"),
    ("Visual merchandising photo reports", "Retail Stores", "liam.oconnor", "Stores email 300 photos a week to check window displays; a third arrive too late to fix before the weekend.", "Displays fixed before the weekend", "percent", "66", "95"),
    ("Price change automation for stores", "Retail Stores", "tomasz.kowalski", "Price changes are printed and hung by hand; 5% of shelf labels disagree with the till on any day.", "Labels that disagree with the till", "percent", "5", "0.5"),
    ("Cash flow forecast weekly", "Finance", "catherine.doyle", "Cash is forecast monthly in a spreadsheet and missed a 1.4 million EUR shortfall by two weeks last spring.", "Forecast horizon", "weeks", "4", "13"),
    ("Email preference centre", "Marketing", "niamh.gallagher", "Customers can only unsubscribe from everything; 3,000 a month do, losing them to all campaigns.", "Full unsubscribes", "per month", "3000", "1200"),
    ("Inbound delivery booking for suppliers", "Supply Chain", "bogdan.ionescu", "Suppliers arrive without a slot; lorries queue for up to three hours at Daventry on Mondays.", "Longest lorry wait", "hours", "3", "0.5"),
    ("Executive KPI app", "Executive Office", "rajesh.menon", "Directors ask analysts for the same ten figures every Monday, taking 2 days of analyst time a week.", "Analyst days on weekly figures", "days per week", "2", "0.2"),
    ("Rental booking for kayaks and paddle boards", "Retail Stores", "declan.murphy", "Rentals are booked by phone in eight lakeside stores; a quarter of weekend calls go unanswered.", "Unanswered rental calls", "percent", "25", "5"),
    ("Contract register for procurement", "Finance", "ben.thornton", "Contracts live in shared folders; 14 renewed automatically last year on worse terms because nobody saw the date.", "Contracts renewed unseen", "per year", "14", "0"),
];

/// Requests that promise to move one of the business's own KPIs too (`demo::value` has them,
/// named alike), from where the KPI stood a year ago: (title, metric, unit, baseline, target).
pub const BUSINESS_METRICS: &[(&str, &str, &str, &str, &str)] = &[
    ("Same-day refunds for online returns in stores", "Customer retention", "percent", "64", "68.5"),
    ("Self-service returns portal", "Cost to serve online orders", "EUR a month", "165200", "140000"),
    ("Live chat on the web shop", "Online revenue", "EUR a month", "488000", "605000"),
    ("Demand forecast for seasonal tents", "Market share in outdoor retail", "percent", "7.56", "8.1"),
    ("Warehouse scanners for the Daventry DC", "Order error rate", "percent", "3.14", "1.7"),
];

/// Statuses in order of the table above, covering every state.
const STATUSES: [Status; 40] = {
    use Status::*;
    [
        InDelivery,
        Approved,
        InAssessment,
        Delivered,
        Closed,
        Submitted,
        ValueReview,
        InAssessment,
        Declined,
        Draft,
        Submitted,
        Approved,
        InAssessment,
        InDelivery,
        Closed,
        Deferred,
        Submitted,
        Draft,
        Deferred,
        Delivered,
        Declined,
        Submitted,
        InAssessment,
        Approved,
        Draft,
        ValueReview,
        Deferred,
        InDelivery,
        Submitted,
        InAssessment,
        Declined,
        Draft,
        Submitted,
        Approved,
        ValueReview,
        Draft,
        InAssessment,
        Closed,
        Submitted,
        InDelivery,
    ]
};

fn path_to(status: Status) -> Vec<ActionKind> {
    use ActionKind as A;
    let decided = [A::Submit, A::StartAssessment];
    match status {
        Status::Draft => vec![],
        Status::Submitted => vec![A::Submit],
        Status::InAssessment => decided.to_vec(),
        Status::Approved => [&decided[..], &[A::Approve]].concat(),
        Status::Declined => [&decided[..], &[A::Decline]].concat(),
        Status::Deferred => [&decided[..], &[A::Defer]].concat(),
        Status::InDelivery => [&decided[..], &[A::Approve, A::StartDelivery]].concat(),
        Status::Delivered => [&decided[..], &[A::Approve, A::StartDelivery, A::MarkDelivered]].concat(),
        Status::ValueReview => {
            [&decided[..], &[A::Approve, A::StartDelivery, A::MarkDelivered, A::StartValueReview]].concat()
        }
        Status::Closed => {
            [&decided[..], &[A::Approve, A::StartDelivery, A::MarkDelivered, A::StartValueReview, A::Close]].concat()
        }
        Status::Withdrawn => vec![A::Submit, A::Withdraw],
    }
}

/// When a request past delivery was delivered, so that its value reviews fit the default
/// schedule (30, 90 and 180 days after): a delivered one within the last weeks (its first review
/// still to come), one in its value review a month or two ago (its first review due since), a
/// closed one more than 180 days ago (all three done).
fn delivered_day(status: Status, i: usize, now: i64) -> Option<i64> {
    let ago = match status {
        Status::Delivered => 5 + i as i64 % 15,
        Status::ValueReview => 35 + i as i64 % 40,
        Status::Closed => 185 + i as i64 % 20,
        _ => return None,
    };
    Some(now - ago * DAY)
}

/// Moves a request's history so that it was delivered at `delivered`: everything before by the
/// same amount; its value review starting with the first review, 30 days later, and closing
/// with the last, at 180.
fn fit_to_review_schedule(seed: &mut SeedRequest, delivered: i64) {
    let Some(at) = seed.events.iter().find(|e| e.to == Status::Delivered).map(|e| e.at) else { return };
    let shift = delivered - at;
    let moved = |t: i64| t + shift;
    seed.created_at = moved(seed.created_at);
    seed.submitted_at = seed.submitted_at.map(moved);
    seed.first_response_at = seed.first_response_at.map(moved);
    seed.decided_at = seed.decided_at.map(moved);
    for e in &mut seed.events {
        e.at = match e.to {
            Status::ValueReview => delivered + 30 * DAY,
            Status::Closed => delivered + 180 * DAY + HOUR,
            _ => moved(e.at),
        };
    }
}

fn reason_for(kind: ActionKind, title: &str) -> String {
    match kind {
        ActionKind::Approve => format!(
            "Approved: \u{2018}{title}\u{2019} pays back within a year on the figures given, and the team that would build it has room next quarter."
        ),
        ActionKind::Decline => format!(
            "Declined for now: \u{2018}{title}\u{2019} overlaps with the ERP upgrade, which will cover most of the need next year at no extra cost."
        ),
        ActionKind::Defer => format!(
            "Deferred to next quarter: \u{2018}{title}\u{2019} is worthwhile, but the store network refresh must finish first."
        ),
        _ => String::new(),
    }
}

/// A small deterministic random source, so demo and benchmark data are the same every time.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() % items.len() as u64) as usize]
    }
}

const SCALE: [u32; 7] = [1, 2, 3, 5, 8, 13, 20];

fn assessment_for(title: &str, rng: &mut Lcg) -> AssessmentInput {
    let effort = 5 + rng.next() % 60;
    let rating = |level: &str, note: &str| RatingInput { level: level.into(), note: note.into() };
    AssessmentInput {
        effort_min_days: effort.to_string(),
        effort_max_days: (effort + 5 + rng.next() % 30).to_string(),
        one_off_cost: ((5 + rng.next() % 80) * 1000).to_string(),
        running_cost_per_year: ((rng.next() % 20) * 500).to_string(),
        currency: "EUR".into(),
        security: if rng.next().is_multiple_of(3) {
            rating("high", "Customer data would be copied to a new supplier; we need their EU hosting and a data processing agreement.")
        } else {
            rating("low", "")
        },
        compliance: rating("low", ""),
        operations: rating(
            "medium",
            "Stores need it during opening hours, so the service desk needs a runbook and weekend cover.",
        ),
        architecture: rating("low", "Fits the integration platform we already run."),
        dependencies: "The store network refresh for anything used in stores.".into(),
        options: vec![
            OptionInput {
                name: "Buy a SaaS product".into(),
                cost: ((20 + rng.next() % 60) * 1000).to_string(),
                weeks: (4 + rng.next() % 8).to_string(),
                tradeoffs: "Faster, but we follow the supplier's roadmap.".into(),
            },
            OptionInput {
                name: "Build on our platform".into(),
                cost: ((40 + rng.next() % 90) * 1000).to_string(),
                weeks: (10 + rng.next() % 16).to_string(),
                tradeoffs: "Fits exactly, but takes a team for a quarter.".into(),
            },
        ],
        recommended_option: "Buy a SaaS product".into(),
        recommendation: format!(
            "For \u{2018}{title}\u{2019} a proven product is quicker and cheaper than building our own."
        ),
        principles: vec![],
    }
}

/// Loads the demo requests. Call after the demo organisation; does nothing when requests exist.
pub async fn load(db: &Db) -> Result<(), Error> {
    if db.count_requests().await? > 0 {
        return Ok(());
    }
    let emails = db.email_ids().await?;
    let units = db.group_ids(GroupKind::Unit).await?;
    let brief = db.people_brief().await?;
    let names: HashMap<i64, String> = brief.iter().map(|p| (p.id, p.name.clone())).collect();
    let id_of = |local: &str| emails.get(&format!("{local}@alderbrook.example")).copied();
    let it_lead = id_of("joanna.wisniewska");
    let it_brm = id_of("nadia.petrova");
    let it_account = db.account_of_person(it_lead.unwrap_or(0)).await?;
    let now = crate::store::now_ms();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let future = |days: i64| (chrono::Utc::now() + chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
    let mut rng = Lcg(2026);
    let mut seeds = Vec::new();
    for (i, (title, unit, sponsor, problem, metric, munit, base, target)) in REQUESTS.iter().enumerate() {
        let status = STATUSES[i % STATUSES.len()];
        let sponsor_id = id_of(sponsor);
        let unit_id = units.get(&unit.to_lowercase()).copied();
        let sparse = status == Status::Draft && i % 2 == 1;
        let input = RequestInput {
            title: title.to_string(),
            problem: problem.to_string(),
            goals: if sparse {
                "Efficiency".into()
            } else {
                format!("Make {} measurably better for customers and staff within the year.", metric.to_lowercase())
            },
            metrics: std::iter::once((*metric, *munit, *base, *target))
                .chain(BUSINESS_METRICS.iter().filter(|m| m.0 == *title).map(|m| (m.1, m.2, m.3, m.4)))
                .map(|(name, unit, baseline, target)| MetricInput {
                    name: name.to_string(),
                    unit: unit.to_string(),
                    baseline: baseline.to_string(),
                    target: if sparse { String::new() } else { target.to_string() },
                    target_date: if sparse { String::new() } else { future(180 + (i as i64 * 7) % 200) },
                })
                .collect(),
            budget_kind: if i % 5 == 0 { "unknown".into() } else { "range".into() },
            budget_min: if i % 5 == 0 { String::new() } else { format!("{}", 20_000 + i * 2_500) },
            budget_max: if i % 5 == 0 { String::new() } else { format!("{}", 35_000 + i * 4_000) },
            budget_currency: if i % 5 == 0 { String::new() } else { "EUR".into() },
            budget_unknown_reason: if i % 5 == 0 {
                "We need IT's view of the options before we can size it.".into()
            } else {
                String::new()
            },
            sponsor_id,
            stakeholders: if sparse {
                vec![]
            } else {
                vec![
                    StakeholderInput { person_id: it_brm, role: "subject_expert".into() },
                    StakeholderInput { person_id: id_of("ana.ribeiro"), role: "compliance_contact".into() },
                ]
            },
            regulatory: if sparse {
                vec![]
            } else if i % 3 == 0 {
                vec!["personal_data".into()]
            } else {
                vec!["none".into()]
            },
            desired_date: future(60 + (i as i64 * 11) % 240),
            if_missed: if sparse {
                String::new()
            } else {
                "We lose the benefit for another season and keep paying for the workaround.".into()
            },
            tradeoffs: if sparse { vec![] } else { vec!["scope".into(), "cost".into(), "time".into()] },
            business_unit_id: unit_id,
            ..Default::default()
        };
        let body =
            validate_request(&input, &today).map_err(|e| Error::internal(format!("demo request {title}: {e}")))?;
        let mut created = now - (150 - i as i64 * 3) * DAY - (rng.next() as i64 % 8) * HOUR;
        let mut seed = SeedRequest::draft(body, sponsor_id, created);
        seed.status = status;
        let mut at = created + DAY + (rng.next() as i64 % 20) * HOUR;
        let mut from = Status::Draft;
        for kind in path_to(status) {
            let to = kind.to_state();
            let (actor_id, actor_name) = match kind.actor() {
                bridge_domain::intake::Actor::Business => (None, names.get(&sponsor_id.unwrap_or(0)).cloned()),
                _ => (it_account, names.get(&it_lead.unwrap_or(0)).cloned()),
            };
            if kind == ActionKind::Submit {
                seed.submitted_at = Some(at);
            }
            if bridge_domain::intake::is_first_it_response(from, kind) {
                seed.first_response_at = Some(at);
            }
            if bridge_domain::intake::is_decision(kind) {
                seed.decided_at = Some(at);
            }
            seed.events.push(SeedEvent {
                at,
                actor_id,
                actor_name: actor_name.unwrap_or_else(|| "Alder & Brook".into()),
                action: kind,
                from,
                to,
                reason: reason_for(kind, title),
            });
            from = to;
            // IT answers within hours to a few days; later steps take weeks.
            at += match kind {
                ActionKind::Submit => (2 + (rng.next() as i64 % 70)) * HOUR * (1 + (i as i64 % 3)),
                ActionKind::StartAssessment => (2 + (rng.next() as i64 % 12)) * DAY,
                _ => (7 + (rng.next() as i64 % 20)) * DAY,
            }
            .min((now - at - HOUR).max(HOUR));
        }
        if let Some(delivered) = delivered_day(status, i, now) {
            fit_to_review_schedule(&mut seed, delivered);
            created = seed.created_at;
            at = seed.events.last().map_or(at, |e| e.at);
        }
        seed.updated_at = at.min(now);
        if status != Status::Draft {
            seed.priority = PriorityInput {
                business_value: Some(*rng.pick(&SCALE)),
                time_criticality: Some(*rng.pick(&SCALE)),
                risk_reduction: (status != Status::Submitted || i % 2 == 0).then(|| *rng.pick(&SCALE)),
                job_size: (status != Status::Submitted || i % 2 == 0).then(|| *rng.pick(&SCALE)),
            };
        }
        if !matches!(status, Status::Draft | Status::Submitted) {
            let input = assessment_for(title, &mut rng);
            let a = validate_assessment(&input).map_err(|e| Error::internal(format!("demo assessment: {e}")))?;
            let by = names.get(&it_lead.unwrap_or(0)).cloned().unwrap_or_default();
            seed.assessment = Some((input, a, by, seed.first_response_at.unwrap_or(created) + DAY));
        }
        if status != Status::Draft {
            let sponsor_name = names.get(&sponsor_id.unwrap_or(0)).cloned().unwrap_or_default();
            let it_name = names.get(&it_brm.unwrap_or(0)).cloned().unwrap_or_default();
            let t = seed.submitted_at.unwrap_or(created) + 3 * HOUR;
            seed.comments.push(SeedComment {
                at: t,
                author_id: it_brm,
                author_name: it_name.clone(),
                author_side: "it".into(),
                body: format!(
                    "@{sponsor_name} thanks — could you say which stores or teams feel this most? It helps us size the first step."
                ),
            });
            seed.comments.push(SeedComment {
                at: t + 5 * HOUR,
                author_id: sponsor_id,
                author_name: sponsor_name,
                author_side: "business".into(),
                body: format!(
                    "@{it_name} the busiest ones first; the figures in the problem statement are from last quarter."
                ),
            });
        }
        seeds.push(seed);
    }
    let ids = db.seed_requests(&Actor::system("demo loader"), &seeds).await?;
    // A few unread notifications, so the header and the home page show how they work.
    if let (Some(rajesh), Some(first)) = (id_of("rajesh.menon"), ids.first()) {
        if let Some(account) = db.account_of_person(rajesh).await? {
            // Demo notices are not emailed: the demo people's addresses are not real.
            let notice = |kind: NoticeKind, text: &str, request_id: i64| Notice {
                account_id: account,
                kind,
                text: text.into(),
                link: crate::ops::notify::request_link(request_id),
                email: false,
            };
            let mention = "Nadia Petrova mentioned you on Executive KPI app";
            db.add_notification(&notice(NoticeKind::Mention, mention, ids[37.min(ids.len() - 1)]), now - 2 * HOUR)
                .await?;
            let decided = "Same-day refunds for online returns in stores — approved";
            db.add_notification(&notice(NoticeKind::MyRequests, decided, *first), now - DAY).await?;
        }
    }
    Ok(())
}

const WORDS_A: &[&str] = &[
    "Faster",
    "Automated",
    "Simpler",
    "Mobile",
    "Self-service",
    "Weekly",
    "Store",
    "Online",
    "Seasonal",
    "Regional",
    "Unified",
    "Digital",
    "Smarter",
    "Shared",
    "Live",
];
const WORDS_B: &[&str] = &[
    "returns",
    "checkout",
    "stock counts",
    "rotas",
    "invoices",
    "repairs",
    "deliveries",
    "rentals",
    "gift cards",
    "loyalty points",
    "price labels",
    "supplier orders",
    "forecasts",
    "reports",
    "kayak bookings",
    "tent sales",
    "footfall",
    "expense claims",
    "campaigns",
    "reviews",
];
const WORDS_C: &[&str] = &[
    "for stores",
    "for the web shop",
    "at Daventry",
    "for finance",
    "for customers",
    "for suppliers",
    "for marketing",
    "for the contact centre",
    "in the north region",
    "in the south region",
];

/// Adds `n` synthetic requests (for benchmarks), spread over every state, unit and sponsor, in
/// batched transactions. Returns how many were added.
pub async fn generate(db: &Db, n: usize) -> Result<usize, Error> {
    let units: Vec<i64> = db.group_ids(GroupKind::Unit).await?.into_values().collect();
    let sponsors: Vec<i64> =
        db.people_brief().await?.into_iter().filter(|p| p.side == Side::Business).map(|p| p.id).collect();
    if units.is_empty() || sponsors.is_empty() {
        return Err(Error::conflict("Load the demo organisation first: generated requests need units and sponsors."));
    }
    let now = crate::store::now_ms();
    let mut rng = Lcg(7);
    let actor = Actor::system("request generator");
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(10_000);
        let mut seeds = Vec::with_capacity(batch);
        for _ in 0..batch {
            let title = format!("{} {} {}", rng.pick(WORDS_A), rng.pick(WORDS_B), rng.pick(WORDS_C));
            let problem = format!(
                "Staff spend {} hours a week on {} by hand and {} customers a month are affected.",
                1 + rng.next() % 60,
                rng.pick(WORDS_B),
                10 + rng.next() % 5000
            );
            let status = Status::ALL[(rng.next() % 10) as usize];
            let body = ValidRequest {
                title,
                problem,
                goals: "Less manual work and happier customers.".into(),
                sponsor_id: Some(*rng.pick(&sponsors)),
                business_unit_id: Some(*rng.pick(&units)),
                regulatory: if rng.next().is_multiple_of(2) {
                    bridge_domain::intake::Regulatory::NoneApply
                } else {
                    bridge_domain::intake::Regulatory::Unanswered
                },
                ..Default::default()
            };
            let created = now - (rng.next() as i64 % (365 * DAY));
            let mut seed = SeedRequest::draft(body, None, created);
            seed.status = status;
            if status != Status::Draft {
                let sub = created + (rng.next() as i64 % (5 * DAY));
                seed.submitted_at = Some(sub);
                if status != Status::Submitted {
                    seed.first_response_at = Some(sub + (rng.next() as i64 % (6 * DAY)));
                }
                if !matches!(status, Status::Submitted | Status::InAssessment) {
                    seed.decided_at = Some(sub + 6 * DAY + (rng.next() as i64 % (30 * DAY)));
                }
                seed.priority = PriorityInput {
                    business_value: Some(*rng.pick(&SCALE)),
                    time_criticality: Some(*rng.pick(&SCALE)),
                    risk_reduction: (!rng.next().is_multiple_of(4)).then(|| *rng.pick(&SCALE)),
                    job_size: (!rng.next().is_multiple_of(4)).then(|| *rng.pick(&SCALE)),
                };
            }
            seeds.push(seed);
        }
        db.seed_requests(&actor, &seeds).await?;
        done += batch;
    }
    Ok(done)
}
