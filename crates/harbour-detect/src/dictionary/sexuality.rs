//! Sexuality or sexual health (UK GDPR Art 9(1) "data concerning a natural person's sex life or
//! sexual orientation").
//!
//! Counts: sexual activity and relationships described as sexual, sexual orientation, sexual
//! health services, sexually transmitted infections, contraception, sharing of sexual images
//! between young people, and (a deliberate over-reach, see `docs/detector.md`) gender identity.
//!
//! Does not count: sexual abuse, assault or exploitation as such (offences: offence.rs; CSE is
//! its own category), relationships education in general, "boyfriend"/"girlfriend" alone, a
//! person's recorded sex. Pregnancy is health (health.rs).

use super::{Guard, Table, NOTHING, SEXUALITY};

pub(super) const TABLES: &[Table] = &[
    // Sexual health services, infections and contraception.
    Table {
        categories: SEXUALITY,
        guard: Guard::None,
        patterns: &[
            "sexual health*",
            "sexual health clinic|service|nurse|worker|screen|screening",
            "gum clinic",
            "genito urinary",
            "sti=",
            "stis=",
            "sexually transmitted",
            "std=",
            "stds=",
            "chlamydia",
            "gonorrhoea",
            "gonorrhea",
            "syphilis",
            "herpes",
            "genital warts",
            "contracept*",
            "on the pill",
            "taking|started|prescribed the pill",
            "morning after pill",
            "condom*",
            "depo injection",
            "the coil",
            "brook clinic|service",
        ],
    },
    // Sex life: sexual activity and sexual relationships, sexual images.
    Table {
        categories: SEXUALITY,
        guard: Guard::None,
        patterns: &[
            "sexually active",
            "sexual activity|activities|relationship|relationships|partner|partners|intercourse|experience|experiences|behaviour|history",
            "had|has|have|having sex",
            "sex with",
            "intercourse",
            "one night stand",
            "sexting",
            "nude|naked|intimate image|images|photo|photos|picture|pictures|selfie|selfies",
            "nudes",
        ],
    },
    // Sexual orientation and gender identity.
    Table {
        categories: SEXUALITY,
        guard: Guard::None,
        patterns: &[
            "sexual orientation",
            "sexuality",
            "gay",
            "lesbian*",
            "bisexual*",
            "homosexual*",
            "heterosexual*",
            "pansexual*",
            "asexual*",
            "queer",
            "lgbt*",
            "came|come|coming|comes out as",
            "came|come|coming|comes out to",
            "same sex",
            "attracted to girls|boys|men|women",
            "attracted to the same sex",
            "transgender",
            "trans=",
            "non binary",
            "nonbinary",
            "gender identity",
            "gender transition",
            "social transition",
            "socially transitioned",
            "preferred|chosen|new pronoun|pronouns",
            "pronouns they|she|he|them|him",
            "deadname*",
        ],
    },
    // Harmless phrases.
    Table {
        categories: NOTHING,
        guard: Guard::None,
        patterns: &["came|come|coming out to the car|house|office|garden|door|playground", "came|come|coming out to school|play", "the pill box"],
    },
];
