//! The demo's twelve principles: what IT asks for and why it matters to the business, each
//! with an example from the company's own year; some understood, one question answered and
//! one waiting.

use bridge_domain::audit::Actor;
use bridge_domain::learning::principles::{PrincipleKind, ValidPrinciple};
use bridge_domain::Error;

use crate::store::Db;

use PrincipleKind::{Architecture as Ar, Compliance as C, Governance as G, Security as S, Standards as St};

/// (title, kind, the principle, why it matters, an example)
const PRINCIPLES: [(&str, PrincipleKind, &str, &str, &str); 12] = [
    (
        "Every change has a business owner",
        G,
        "Each request IT works on has a named sponsor in the business.",
        "Someone who knows the work decides what matters most, so IT builds the right thing first.",
        "The returns project moved faster once the head of e-commerce owned its priorities.",
    ),
    (
        "We weigh requests the same way for everyone",
        G,
        "Requests are ranked by value, urgency, risk and size, in the open.",
        "You can see why one request comes before another, and what would move yours up.",
        "The stock alerts request rose in the queue once its value in lost sales was written down.",
    ),
    (
        "We check value after delivery",
        G,
        "A few months after a change, its sponsor and IT check what it brought.",
        "Money goes next to what has worked, and promises are kept honest.",
        "The self-checkout review showed queues halved, so two more stores got it.",
    ),
    (
        "Two-step sign-in for every work system",
        S,
        "Signing in needs a password and a code on your phone.",
        "A stolen password alone cannot open our systems, so customer and staff data stay safe.",
        "A phishing email in March got three passwords, and none of them could be used.",
    ),
    (
        "People see only what their work needs",
        S,
        "Access is given by role and removed when someone changes job.",
        "Fewer people can see customer details, so a mistake or a theft does less harm.",
        "Store staff see today's orders for their store, not every customer's history.",
    ),
    (
        "Customer data stays in the EU",
        C,
        "Systems holding customer data are hosted in the European Union.",
        "We keep to the data protection law and our customers' trust; fines can reach four per cent of turnover.",
        "The new survey tool was chosen partly because it keeps answers in Frankfurt.",
    ),
    (
        "We keep records for seven years, then delete them",
        C,
        "Financial records are kept as long as the law asks, and no longer.",
        "Auditors find what they need, and old personal data does not sit around waiting to leak.",
        "Last year's audit took two days instead of two weeks.",
    ),
    (
        "One way to build each kind of screen",
        St,
        "New screens use the shared building blocks.",
        "Screens look and work the same everywhere, so staff learn them once and changes cost less.",
        "The stock count screen was built in a week from parts the till screens already use.",
    ),
    (
        "Everything works on a phone in the store",
        St,
        "New tools must work on a phone as well as at a desk.",
        "Store staff do the work where the stock is, without walking back to the office.",
        "Price checks now happen at the shelf with a handheld scanner.",
    ),
    (
        "Buy before we build",
        Ar,
        "We use a product that exists before we write our own.",
        "You get it sooner, and someone else keeps it working and up to date.",
        "The new payroll came in three months instead of a year.",
    ),
    (
        "One source for each kind of data",
        Ar,
        "Each kind of data (customers, products, stock) is kept in one system that the others read.",
        "Reports agree with each other, and a change is made once instead of in five places.",
        "Stock figures in the sales dashboard now match the warehouse's to the unit.",
    ),
    (
        "Small changes, often",
        Ar,
        "Changes reach the stores in small steps each week.",
        "Problems are small and quickly put right, and you see progress every week.",
        "A pricing bug in June was fixed the same afternoon it was found.",
    ),
];

pub async fn load(db: &Db) -> Result<(), Error> {
    let actor = Actor::system("demo loader");
    let people = db.all_people().await?;
    let id_of = |local: &str| people.iter().find(|p| p.email.split('@').next() == Some(local)).map(|p| p.id);
    let mut ids = Vec::new();
    for (title, kind, statement, why, example) in PRINCIPLES {
        let p = ValidPrinciple {
            title: title.into(),
            kind,
            statement: statement.into(),
            why_it_matters: why.into(),
            example: example.into(),
        };
        ids.push(db.save_principle(&actor, None, &p).await?);
    }
    for (n, id) in ids.iter().enumerate() {
        for local in ["rajesh.menon", "sofia.lindqvist", "gareth.pryce", "amira.saleh"].iter().take(n % 4 + 1) {
            if let Some(person) = id_of(local) {
                db.set_understood(&actor, *id, person, true).await?;
            }
        }
    }
    if let (Some(sofia), Some(gareth)) = (id_of("sofia.lindqvist"), id_of("gareth.pryce")) {
        let q = db
            .ask(&actor, ids[5], sofia, "Does this mean we cannot use the American design tool our agency likes?")
            .await?;
        let answer = "It can be used for designs without customer data in them. For anything with customer details, use the EU-hosted one; IT can set up the agency with it.";
        db.answer(&Actor::system("Imran Qureshi"), q, answer, None).await?;
        db.ask(&actor, ids[9], gareth, "What if no product does what the stores need?").await?;
    }
    Ok(())
}
