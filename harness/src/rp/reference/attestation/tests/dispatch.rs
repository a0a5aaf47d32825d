//! Format dispatch (unknown formats, `none` with content, W3C L3 §8.7) and the check registry.

use super::*;

#[test]
fn unknown_formats_and_none_with_content() {
    let mut case = Case::load("none.ES256");
    case.fmt = "avocado".into();
    assert!(matches!(
        case.run(),
        Err(AttestationError::UnsupportedFormat { .. })
    ));
    case.run_without(AttCheck::KnownFormat).unwrap();
    let mut case = Case::load("none.ES256");
    case.stmt = Case::load("packed-self.ES256").stmt;
    let err = case.run().unwrap_err();
    assert_eq!(
        err.to_string(),
        "attStmt must be an empty map, found map(2) (W3C L3 §8.7)"
    );
    case.run_without(AttCheck::None(NoneCheck::EmptyMap))
        .unwrap();
}

#[test]
fn check_names_are_unique() {
    let names: Vec<String> = AttCheck::all().into_iter().map(AttCheck::name).collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len());
}
