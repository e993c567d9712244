//! The demo organisation: Alder & Brook Outfitters, an invented mid-size retailer of outdoor
//! clothing and equipment with stores, an online shop and two distribution centres.
//!
//! Every name, email and title here is fictitious. The people are listed so that each manager
//! comes before the people reporting to them, so the store can insert them in order.

use super::{Role, Side};

/// One password for every demo login, documented so anyone trying the demo can sign in.
pub const DEMO_PASSWORD: &str = "bridge-demo-2026";

const COMPANY: &str = "Alder & Brook Outfitters";
const DOMAIN: &str = "alderbrook.example";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoUnit {
    pub name: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoTeam {
    pub name: &'static str,
    pub description: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPerson {
    pub name: &'static str,
    /// `firstname.lastname@alderbrook.example`, lower case.
    pub email: String,
    pub side: Side,
    /// The business unit's name, for business people.
    pub unit: Option<&'static str>,
    /// The IT team's name, for IT people. The CIO leads all of IT and sits in no team.
    pub team: Option<&'static str>,
    pub title: &'static str,
    /// Always a person listed earlier.
    pub manager_email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAccount {
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOrg {
    pub company: &'static str,
    pub domain: &'static str,
    pub units: Vec<DemoUnit>,
    pub teams: Vec<DemoTeam>,
    pub people: Vec<DemoPerson>,
    pub accounts: Vec<DemoAccount>,
}

/// The business units, the Executive Office first.
fn units() -> Vec<DemoUnit> {
    let unit = |name, description| DemoUnit { name, description };
    vec![
        unit(
            "Executive Office",
            "The chief executive, the chief operating officer and their staff: strategy, the board and company-wide \
             priorities.",
        ),
        unit(
            "Retail Stores",
            "Our 46 stores across the UK and Ireland: store operations, visual merchandising and staff rotas.",
        ),
        unit(
            "E-commerce",
            "The online shop and the mobile app: trading, online merchandising, conversion and marketplace partners.",
        ),
        unit(
            "Supply Chain",
            "Two distribution centres, inbound freight, stock planning and deliveries to stores and customers' doors.",
        ),
        unit(
            "Finance",
            "Planning, accounting, payroll, procurement and internal audit; holds budgets and supplier contracts.",
        ),
        unit("Marketing", "The brand, seasonal campaigns, the Trailhead loyalty programme and customer insight."),
        unit(
            "Customer Service",
            "The contact centre, returns and repairs: phone, chat and email for customers of every channel.",
        ),
    ]
}

/// The IT teams. Their heads report to the CIO.
fn teams() -> Vec<DemoTeam> {
    let team = |name, description| DemoTeam { name, description };
    vec![
        team(
            "Platform & Infrastructure",
            "Cloud hosting, networks for stores and warehouses, servers, and the tooling that keeps them all running.",
        ),
        team(
            "Business Applications",
            "The ERP, warehouse management, point-of-sale and HR systems: configuration, integrations and upgrades.",
        ),
        team(
            "Data & Analytics",
            "The data warehouse, the reports everyone reads each Monday, and the demand forecasting models.",
        ),
        team(
            "Digital Products",
            "Builds and runs the website, the mobile app and the loyalty platform together with E-commerce and \
             Marketing.",
        ),
        team(
            "Security & Service Desk",
            "Information security, access management, and the help desk for every colleague and every store.",
        ),
    ]
}

/// The people, grouped under `[side: unit or team]` headings (the CIO sits in no team), one per
/// line: name | email before the @ | title | manager's email before the @. Managers come first.
const PEOPLE: &str = "
[business: Executive Office]
Helen Achterberg  | helen.achterberg  | Chief Executive Officer                               |
Rajesh Menon      | rajesh.menon      | Chief Operating Officer                               | helen.achterberg
Chloé Martin      | chloe.martin      | Chief of Staff                                        | helen.achterberg

[it]
Nkechi Adeyemi    | nkechi.adeyemi    | Chief Information Officer                             | helen.achterberg

[business: Finance]
Catherine Doyle   | catherine.doyle   | Chief Financial Officer                               | helen.achterberg
Samuel Osei       | samuel.osei       | Financial Controller                                  | catherine.doyle
Leila Haddad      | leila.haddad      | Financial Planning & Analysis Manager                 | catherine.doyle
Ben Thornton      | ben.thornton      | Procurement Manager                                   | catherine.doyle
Ana Ribeiro       | ana.ribeiro       | Internal Audit Manager                                | catherine.doyle

[business: Marketing]
Olivia Brennan    | olivia.brennan    | Head of Marketing                                     | helen.achterberg
Jamal Carter      | jamal.carter      | Brand Manager                                         | olivia.brennan
Niamh Gallagher   | niamh.gallagher   | Loyalty Programme Manager                             | olivia.brennan
Zara Ahmed        | zara.ahmed        | Campaign Manager                                      | olivia.brennan
Hiroshi Sato      | hiroshi.sato      | Customer Insight Analyst                              | niamh.gallagher

[business: Retail Stores]
Declan Murphy     | declan.murphy     | Director of Retail Stores                             | rajesh.menon
Aisha Rahman      | aisha.rahman      | Regional Manager, North                               | declan.murphy
Tomasz Kowalski   | tomasz.kowalski   | Regional Manager, South                               | declan.murphy
Grace Mensah      | grace.mensah      | Store Operations Manager                              | declan.murphy
Liam O'Connor     | liam.oconnor      | Visual Merchandising Lead                             | declan.murphy
Priya Shah        | priya.shah        | Store Operations Analyst                              | grace.mensah
Ewan Fraser       | ewan.fraser       | Workforce Planning Analyst                            | grace.mensah

[business: E-commerce]
Sofia Lindqvist   | sofia.lindqvist   | Head of E-commerce                                    | rajesh.menon
Marcus Bell       | marcus.bell       | Online Trading Manager                                | sofia.lindqvist
Hannah Goldberg   | hannah.goldberg   | Marketplace Partnerships Manager                      | sofia.lindqvist
Isabel Costa      | isabel.costa      | Product Owner, Web Shop                               | sofia.lindqvist
Yuki Tanaka       | yuki.tanaka       | Digital Merchandiser                                  | marcus.bell
Oluwaseun Bakare  | oluwaseun.bakare  | Conversion Analyst                                    | marcus.bell

[business: Supply Chain]
Gareth Pryce      | gareth.pryce      | Head of Supply Chain                                  | rajesh.menon
Mei Chen          | mei.chen          | Distribution Centre Manager, Daventry                 | gareth.pryce
Kwame Asante      | kwame.asante      | Transport Manager                                     | gareth.pryce
Fiona Walsh       | fiona.walsh       | Demand & Stock Planning Manager                       | gareth.pryce
Arjun Patel       | arjun.patel       | Stock Planning Analyst                                | fiona.walsh
Bogdan Ionescu    | bogdan.ionescu    | Inbound Logistics Coordinator                         | kwame.asante

[business: Customer Service]
Patrick Nwosu     | patrick.nwosu     | Head of Customer Service                              | rajesh.menon
Lucy Evans        | lucy.evans        | Contact Centre Manager                                | patrick.nwosu
Diego Fernández   | diego.fernandez   | Returns & Repairs Manager                             | patrick.nwosu
Ruth Abebe        | ruth.abebe        | Quality & Training Lead                               | lucy.evans
Callum Reid       | callum.reid       | Customer Service Analyst                              | lucy.evans

[it: Platform & Infrastructure]
Stefan Novak      | stefan.novak      | Head of Platform & Infrastructure                     | nkechi.adeyemi
Adaeze Okonkwo    | adaeze.okonkwo    | Enterprise Architect                                  | stefan.novak
Connor Hughes     | connor.hughes     | Cloud Engineer                                        | stefan.novak
Ravi Subramanian  | ravi.subramanian  | Network Engineer, Stores & Warehouses                 | stefan.novak
Eilidh MacLeod    | eilidh.macleod    | Site Reliability Engineer                             | stefan.novak

[it: Business Applications]
Joanna Wiśniewska | joanna.wisniewska | Head of Business Applications                         | nkechi.adeyemi
Femi Adebayo      | femi.adebayo      | Solution Architect                                    | joanna.wisniewska
Rachel Kim        | rachel.kim        | ERP Lead                                              | joanna.wisniewska
Nadia Petrova     | nadia.petrova     | Business Relationship Manager, Supply Chain & Finance | joanna.wisniewska
Owen Price        | owen.price        | Integration Developer                                 | rachel.kim

[it: Data & Analytics]
Imran Qureshi     | imran.qureshi     | Head of Data & Analytics                              | nkechi.adeyemi
Laura Jiménez     | laura.jimenez     | Data Engineer                                         | imran.qureshi
Kofi Boateng      | kofi.boateng      | Analytics Engineer                                    | imran.qureshi
Siobhan Kelly     | siobhan.kelly     | Data Scientist, Demand Forecasting                    | imran.qureshi

[it: Digital Products]
Daniel Levy       | daniel.levy       | Head of Digital Products                              | nkechi.adeyemi
Amira Saleh       | amira.saleh       | Business Relationship Manager, E-commerce & Marketing | daniel.levy
Jonas Becker      | jonas.becker      | Senior Software Engineer                              | daniel.levy
Thandi Ndlovu     | thandi.ndlovu     | Mobile Engineer                                       | daniel.levy

[it: Security & Service Desk]
Victoria Adams    | victoria.adams    | Head of Security & Service Desk                       | nkechi.adeyemi
Matteo Rossi      | matteo.rossi      | Security Engineer                                     | victoria.adams
Precious Mwangi   | precious.mwangi   | Service Desk Lead                                     | victoria.adams
Sean Doherty      | sean.doherty      | IT Operations Engineer                                | victoria.adams
";

/// The demo logins (email before the @), covering every role; all use [`DEMO_PASSWORD`].
const ACCOUNTS: [(&str, Role); 8] = [
    ("nkechi.adeyemi", Role::Admin),
    ("sean.doherty", Role::Admin),
    ("joanna.wisniewska", Role::It),
    ("nadia.petrova", Role::It),
    ("rajesh.menon", Role::Business),
    ("sofia.lindqvist", Role::Business),
    ("gareth.pryce", Role::Business),
    ("ana.ribeiro", Role::Viewer),
];

/// The whole demo organisation.
pub fn demo_org() -> DemoOrg {
    let email = |local: &str| format!("{local}@{DOMAIN}");
    let mut people = Vec::new();
    let mut section = None;
    for line in PEOPLE.lines().map(str::trim).filter(|line| !line.is_empty()) {
        if let Some(heading) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let (side, group) = heading.split_once(':').unwrap_or((heading, ""));
            let side = Side::parse(side).expect("demo headings name a side");
            section = Some((side, Some(group.trim()).filter(|g| !g.is_empty())));
            continue;
        }
        let (side, group) = section.expect("demo people come under a heading");
        let [name, local, title, manager] = cells(line);
        people.push(DemoPerson {
            name,
            email: email(local),
            side,
            unit: group.filter(|_| side == Side::Business),
            team: group.filter(|_| side == Side::It),
            title,
            manager_email: Some(manager).filter(|m| !m.is_empty()).map(email),
        });
    }
    let accounts = ACCOUNTS.iter().map(|&(local, role)| DemoAccount { email: email(local), role }).collect();
    DemoOrg { company: COMPANY, domain: DOMAIN, units: units(), teams: teams(), people, accounts }
}

/// The demo people as a file for the people import, in the import's column order.
pub fn demo_people_csv() -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = super::import::COLUMNS;
    writer.write_record(header).expect("writing to memory");
    for person in demo_org().people {
        let record = [
            person.name,
            &person.email,
            person.side.as_str(),
            person.unit.unwrap_or_default(),
            person.team.unwrap_or_default(),
            person.title,
            person.manager_email.as_deref().unwrap_or_default(),
        ];
        writer.write_record(record).expect("writing to memory");
    }
    let bytes = writer.into_inner().expect("writing to memory");
    String::from_utf8(bytes).expect("the demo is UTF-8")
}

/// A line of the people table split on `|` into exactly `N` trimmed cells.
fn cells<const N: usize>(line: &'static str) -> [&'static str; N] {
    let mut cells = [""; N];
    let mut parts = line.split('|');
    for cell in &mut cells {
        *cell = parts.next().unwrap_or_else(|| panic!("demo line has too few cells: {line}")).trim();
    }
    assert!(parts.next().is_none(), "demo line has too many cells: {line}");
    cells
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;
    use crate::org::import::{parse_people_csv, resolve};
    use crate::org::{is_plausible_email, validate_password};

    #[test]
    fn sizes() {
        let org = demo_org();
        assert!((55..=65).contains(&org.people.len()), "{} people", org.people.len());
        assert!((6..=7).contains(&org.units.len()));
        assert_eq!(org.teams.len(), 5);
        assert!((7..=10).contains(&org.accounts.len()));
        assert_eq!(org.company, "Alder & Brook Outfitters");
    }

    #[test]
    fn names_and_descriptions_are_filled_in_and_unique() {
        let org = demo_org();
        let groups: Vec<(&str, &str)> = org
            .units
            .iter()
            .map(|u| (u.name, u.description))
            .chain(org.teams.iter().map(|t| (t.name, t.description)))
            .collect();
        let mut names = HashSet::new();
        for (name, description) in groups {
            assert!(names.insert(name.to_lowercase()), "{name} twice");
            assert!(description.len() > 30 && description.ends_with('.'), "{name}");
        }
        for person in &org.people {
            assert!(!person.name.is_empty() && !person.title.is_empty());
        }
    }

    #[test]
    fn emails_are_unique_valid_and_on_the_domain() {
        let org = demo_org();
        let mut seen = HashSet::new();
        for person in &org.people {
            assert!(is_plausible_email(&person.email), "{}", person.email);
            assert!(person.email.ends_with("@alderbrook.example"));
            assert_eq!(person.email, person.email.to_lowercase());
            assert!(seen.insert(person.email.clone()), "{} twice", person.email);
            let local = person.email.split('@').next().unwrap_or_default();
            assert_eq!(local.matches('.').count(), 1, "{}", person.email);
            assert!(local.chars().all(|c| c.is_ascii_lowercase() || c == '.' || c == '-'));
        }
    }

    #[test]
    fn units_and_teams_exist_and_match_the_side() {
        let org = demo_org();
        let units: HashSet<&str> = org.units.iter().map(|u| u.name).collect();
        let teams: HashSet<&str> = org.teams.iter().map(|t| t.name).collect();
        for person in &org.people {
            match person.side {
                Side::Business => {
                    assert!(person.team.is_none());
                    assert!(units.contains(person.unit.expect("business people have a unit")));
                }
                Side::It => {
                    assert!(person.unit.is_none());
                    if let Some(team) = person.team {
                        assert!(teams.contains(team), "{team}");
                    } else {
                        assert_eq!(person.title, "Chief Information Officer");
                    }
                }
            }
        }
        for unit in &units {
            assert!(org.people.iter().filter(|p| p.unit == Some(*unit)).count() >= 3, "{unit}");
        }
        for team in &teams {
            assert!(org.people.iter().filter(|p| p.team == Some(*team)).count() >= 3, "{team}");
        }
    }

    #[test]
    fn managers_exist_and_come_first() {
        let org = demo_org();
        let top: Vec<&DemoPerson> = org.people.iter().filter(|p| p.manager_email.is_none()).collect();
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].title, "Chief Executive Officer");
        for (i, person) in org.people.iter().enumerate() {
            if let Some(manager) = &person.manager_email {
                assert!(
                    org.people[..i].iter().any(|p| &p.email == manager),
                    "{}'s manager {manager} is not listed before them",
                    person.email
                );
            }
        }
    }

    #[test]
    fn each_unit_and_team_has_one_head_who_reports_upwards() {
        let org = demo_org();
        let by_email: HashMap<&str, &DemoPerson> = org.people.iter().map(|p| (p.email.as_str(), p)).collect();
        let manager = |p: &DemoPerson| p.manager_email.as_deref().map(|m| by_email[m]);
        for unit in &org.units {
            let heads: Vec<&DemoPerson> = org
                .people
                .iter()
                .filter(|p| p.unit == Some(unit.name))
                .filter(|p| manager(p).is_none_or(|m| m.unit != Some(unit.name)))
                .collect();
            assert_eq!(heads.len(), 1, "{}", unit.name);
            if let Some(boss) = manager(heads[0]) {
                assert!(boss.title.starts_with("Chief") && boss.unit == Some("Executive Office"));
            }
        }
        for team in &org.teams {
            let heads: Vec<&DemoPerson> = org
                .people
                .iter()
                .filter(|p| p.team == Some(team.name))
                .filter(|p| manager(p).is_none_or(|m| m.team != Some(team.name)))
                .collect();
            assert_eq!(heads.len(), 1, "{}", team.name);
            let boss = manager(heads[0]).expect("team heads have a manager");
            assert_eq!(boss.title, "Chief Information Officer");
        }
    }

    #[test]
    fn accounts_cover_every_role_and_belong_to_people() {
        let org = demo_org();
        for role in Role::ALL {
            assert!(org.accounts.iter().any(|a| a.role == role), "no {role:?} account");
        }
        let mut seen = HashSet::new();
        for account in &org.accounts {
            assert!(seen.insert(&account.email), "{} twice", account.email);
            let person = org.people.iter().find(|p| p.email == account.email);
            let person = person.unwrap_or_else(|| panic!("{} is not a person", account.email));
            match account.role {
                Role::It => assert_eq!(person.side, Side::It),
                Role::Business => assert_eq!(person.side, Side::Business),
                Role::Admin | Role::Viewer => {}
            }
        }
    }

    #[test]
    fn password_is_acceptable() {
        assert!(validate_password(DEMO_PASSWORD).is_ok());
    }

    #[test]
    fn the_demo_goes_through_the_people_import() {
        let org = demo_org();
        let rows = parse_people_csv(demo_people_csv().as_bytes()).expect("demo parses");
        assert_eq!(rows.len(), org.people.len());
        let ids = |names: Vec<&str>| -> HashMap<String, i64> {
            names.into_iter().zip(1..).map(|(n, id)| (n.to_lowercase(), id)).collect()
        };
        let units = ids(org.units.iter().map(|u| u.name).collect());
        let teams = ids(org.teams.iter().map(|t| t.name).collect());
        let people = resolve(&rows, &units, &teams, &HashMap::new()).expect("demo resolves");
        let emails: Vec<&str> = people.iter().map(|p| p.email.as_str()).collect();
        let demo_emails: Vec<&str> = org.people.iter().map(|p| p.email.as_str()).collect();
        assert_eq!(emails, demo_emails, "already in managers-first order");
        for (row, person) in rows.iter().zip(&org.people) {
            assert_eq!(row.name, person.name);
            assert_eq!(row.title, person.title);
            assert_eq!(row.unit.as_deref(), person.unit);
            assert_eq!(row.team.as_deref(), person.team);
        }
    }
}
