//! The in-process RP adapters, in one list that the CLI (`run --rp`, `serve --rp`), the peers
//! task of `cargo xtask` and the docs read. Adding an adapter is one module under `rp/` and one
//! row here (plus a Cargo feature when it pulls in a library).

use super::RpFactory;
use super::reference::ReferenceFactory;
use super::reference::attestation::TrustStore;
use super::reference::mutant::Mutant;

/// One in-process RP adapter.
#[derive(Debug, Clone, Copy)]
pub struct Adapter {
    /// The name `--rp` takes, and the directory of its reports under `reports/`.
    pub name: &'static str,
    /// What it is, in a line (for `--help` and the report matrix).
    pub summary: &'static str,
    /// The Cargo feature it needs, if any.
    pub feature: Option<&'static str>,
    /// Whether this build has it (its feature is on).
    pub available: bool,
    /// Whether it takes `--mutant` (only the reference RP has mutants).
    pub takes_mutants: bool,
    make: fn(Option<Mutant>, Option<TrustStore>) -> Box<dyn RpFactory + Send>,
}

/// Why an adapter cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AdapterError {
    /// No adapter has this name.
    #[error("unknown RP {name:?}: use {known} or an http:// URL")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names this build has, comma-separated.
        known: String,
    },
    /// The adapter's feature is off in this build.
    #[error("the {name} adapter needs the `{feature}` feature, which this build lacks")]
    NotBuilt {
        /// The adapter.
        name: &'static str,
        /// Its feature.
        feature: &'static str,
    },
    /// `--mutant` was given for an adapter without mutants.
    #[error("--mutant applies to the reference RP only")]
    NoMutants,
}

/// Every in-process adapter, the default first.
pub const ADAPTERS: [Adapter; 2] = [
    Adapter {
        name: "reference",
        summary: "the harness's strict reference RP (W3C L3 §7.1 and §7.2, every step)",
        feature: None,
        available: true,
        takes_mutants: true,
        make: reference,
    },
    Adapter {
        name: "webauthn-rs",
        summary: "webauthn-rs-core in process",
        feature: Some("webauthn-rs"),
        available: cfg!(feature = "webauthn-rs"),
        takes_mutants: false,
        make: webauthn_rs,
    },
];

/// The adapter `--rp` names by default.
pub const DEFAULT: &str = ADAPTERS[0].name;

fn reference(mutant: Option<Mutant>, store: Option<TrustStore>) -> Box<dyn RpFactory + Send> {
    let factory = ReferenceFactory::new(mutant);
    Box::new(match store {
        Some(store) => factory.with_trust_store(store),
        None => factory,
    })
}

#[cfg(feature = "webauthn-rs")]
fn webauthn_rs(_: Option<Mutant>, store: Option<TrustStore>) -> Box<dyn RpFactory + Send> {
    let factory = super::webauthn_rs::WebauthnRsFactory::default();
    Box::new(match store {
        Some(store) => factory.with_trust_store(store),
        None => factory,
    })
}

/// Never called: [`Adapter::make`] checks `available` first.
#[cfg(not(feature = "webauthn-rs"))]
fn webauthn_rs(mutant: Option<Mutant>, store: Option<TrustStore>) -> Box<dyn RpFactory + Send> {
    reference(mutant, store)
}

impl Adapter {
    /// A factory of this adapter's RPs, trusting `store`'s anchors when given.
    pub fn make(
        &self,
        mutant: Option<Mutant>,
        store: Option<TrustStore>,
    ) -> Result<Box<dyn RpFactory + Send>, AdapterError> {
        if let (false, Some(feature)) = (self.available, self.feature) {
            return Err(AdapterError::NotBuilt {
                name: self.name,
                feature,
            });
        }
        if mutant.is_some() && !self.takes_mutants {
            return Err(AdapterError::NoMutants);
        }
        Ok((self.make)(mutant, store))
    }
}

/// The adapter named `name`.
pub fn find(name: &str) -> Result<&'static Adapter, AdapterError> {
    ADAPTERS
        .iter()
        .find(|a| a.name == name)
        .ok_or_else(|| AdapterError::Unknown {
            name: name.to_owned(),
            known: available().collect::<Vec<_>>().join(", "),
        })
}

/// The names of the adapters this build has.
pub fn available() -> impl Iterator<Item = &'static str> {
    ADAPTERS.iter().filter(|a| a.available).map(|a| a.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_available_adapter_makes_a_factory_of_its_name() {
        for adapter in ADAPTERS.iter().filter(|a| a.available) {
            let name = adapter.make(None, None).map(|f| f.name());
            assert!(
                name.as_ref().is_ok_and(|n| n.starts_with(adapter.name)),
                "{name:?}"
            );
        }
    }

    #[test]
    fn unknown_names_and_misplaced_mutants_are_typed_errors() {
        assert!(matches!(find("nope"), Err(AdapterError::Unknown { .. })));
        let first = Mutant::all()[0];
        let refused = ADAPTERS
            .iter()
            .filter(|a| !a.takes_mutants && a.available)
            .map(|a| a.make(Some(first), None).err());
        assert!(
            refused
                .into_iter()
                .all(|e| e == Some(AdapterError::NoMutants))
        );
    }
}
