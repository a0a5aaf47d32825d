//! `apple` (W3C L3 §8.8): the nonce and the credential key checks.

use super::*;
use crate::rp::reference::attestation::apple;

#[test]
fn apple_rejects_another_client_data_hash_and_another_key() {
    let mut case = Case::load("apple.ES256");
    case.cdh[0] ^= 1;
    let err = case.run().unwrap_err();
    assert!(
        matches!(err, AttestationError::Apple(apple::AppleError::Nonce(_))),
        "{err}"
    );
    case.run_without(AttCheck::Apple(apple::Check::Nonce))
        .unwrap();

    let mut case = Case::load("apple.ES256");
    case.key = Case::load("packed-self.ES256").key;
    let err = case.run().unwrap_err();
    assert!(
        matches!(err, AttestationError::Apple(apple::AppleError::KeyMismatch)),
        "{err}"
    );
    case.run_without(AttCheck::Apple(apple::Check::KeyMatchesCredential))
        .unwrap();

    let mut case = Case::load("apple.ES256");
    case.set("x5c", Value::Array(vec![]));
    assert!(case.run().is_err());
}
