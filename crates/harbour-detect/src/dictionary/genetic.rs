//! Genetic data and biometric data used to identify someone (UK GDPR Art 9(1)).
//!
//! Counts: genetic tests and their results, DNA samples and paternity tests, chromosomal and
//! inherited conditions (which are health data too), fingerprints, facial recognition and
//! other biometrics. Not: "inherited" money or traits, a biometric residence permit named as a
//! document, fingerprint painting.

use harbour_domain::DataCategory;

use super::{Guard, Table, GENETIC, NOTHING};

pub(super) const TABLES: &[Table] = &[
    // Genetic and biometric data.
    Table {
        categories: GENETIC,
        guard: Guard::None,
        patterns: &[
            "genetic*",
            "geneticist*",
            "genes",
            "dna",
            "genom*",
            "genotyp*",
            "paternity test|tests|testing|result|results",
            "sibling|relationship|maternity test|testing",
            "biometric*",
            "fingerprint*",
            "facial recognition",
            "iris|retina|retinal scan|scans|scanning",
            "voice print|prints",
            "brca*",
            "microarray",
            "karyotyp*",
            "carrier of|for",
            "sickle cell trait",
        ],
    },
    // Chromosomal and inherited conditions: genetic data and health data.
    Table {
        categories: &[DataCategory::PhysicalOrMentalHealth, DataCategory::GeneticOrBiometric],
        guard: Guard::None,
        patterns: &[
            "chromosom*",
            "hereditary",
            "inherited condition|conditions|disorder|disorders|disease|diseases",
            "fragile x",
            "trisomy",
            "deletion syndrome",
            "22q11*",
            "huntington*",
        ],
    },
    // A person called Gene.
    Table { categories: GENETIC, guard: Guard::Name, patterns: &["gene"] },
    // Harmless phrases.
    Table {
        categories: NOTHING,
        guard: Guard::None,
        patterns: &["biometric residence permit|permits|card|cards", "fingerprint painting|paintings|art"],
    },
];
