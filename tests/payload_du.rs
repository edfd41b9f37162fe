//! Device Update twins through the payload decoder: `resultCode` in the result-code catalogue, extended result
//! codes through the Device Update reading (signed 1.0.x integers, 1.1.0 hex lists with informational codes),
//! step results, the agent version, failure and the retry decision. Values follow du.md (issues #487, #624,
//! #748 and the docs' -536870781 example); the twins around them are invented.
#![cfg(feature = "alloc")]

use azure_iot_codes::du::{AgentVersion, ExtendedResultCode};
use azure_iot_codes::payload::{
    FoundCode, Payload, PayloadOptions, decode_payload, decode_payload_with,
};
use azure_iot_codes::retry::{Action, Outcome};
use azure_iot_codes::{Catalogue, Service};

fn code<'p>(p: &'p Payload, field: &str) -> &'p FoundCode {
    p.codes()
        .iter()
        .find(|c| c.field() == field)
        .unwrap_or_else(|| {
            panic!(
                "no {field} in {:?}",
                p.codes().iter().map(FoundCode::field).collect::<Vec<_>>()
            )
        })
}

fn fields(p: &Payload) -> Vec<&str> {
    p.codes().iter().map(FoundCode::field).collect()
}

#[test]
fn agent_1_0_signed_integer_reads_as_its_bit_pattern() {
    // du.md: the docs' example -536870781 is 0xE0000083.
    let p = decode_payload(include_str!(
        "fixtures/payload/du-last-install-result-negative.json"
    ))
    .unwrap();
    assert_eq!(p.service(), Some(Service::DeviceUpdate));
    let erc = code(&p, "lastInstallResult.extendedResultCode");
    assert_eq!(erc.value(), "-536870781", "the twin's own spelling");
    assert_eq!(erc.catalogue(), Catalogue::DuExtendedResultCode);
    assert_eq!(
        erc.agent_version(),
        None,
        "the integer form does not say which agent"
    );
    let m = erc.matches()[0];
    assert_eq!(m.catalogue(), Catalogue::DuExtendedResultCode);
    assert_eq!(m.erc().unwrap().code().as_u32(), 0xE000_0083);
    assert_eq!(
        erc.outcome(),
        Some(Outcome::DuExtendedResultCode(ExtendedResultCode::new(
            0xE000_0083
        )))
    );
    assert!(erc.indicates_failure());
    let rc = code(&p, "lastInstallResult.resultCode");
    assert_eq!(rc.outcome(), Some(Outcome::DuResultCode(0)));
    assert!(rc.indicates_failure());
    assert!(
        rc.matches()
            .iter()
            .any(|m| m.name() == "ADUC_Result_Failure")
    );
    // The failed result's extended code is what the decision is about.
    assert_eq!(
        p.retry_code().unwrap().field(),
        "lastInstallResult.extendedResultCode"
    );
    let d = p.retry().unwrap();
    assert_eq!(
        (d.action(), d.rule().id()),
        (Action::OperatorAction, "du-erc")
    );
}

#[test]
fn agent_1_0_twin_script_exit_code_and_its_step() {
    // du.md, issue #487: 810553366 = 0x30501016, the install script's exit code 22.
    let p = decode_payload(include_str!(
        "fixtures/payload/du-twin-agent-1.0-integer.json"
    ))
    .unwrap();
    assert_eq!(
        fields(&p),
        [
            "lastInstallResult.resultCode",
            "lastInstallResult.extendedResultCode",
            "lastInstallResult.stepResults.step_0.resultCode",
            "lastInstallResult.stepResults.step_0.extendedResultCode",
        ]
    );
    for field in [
        "lastInstallResult.extendedResultCode",
        "lastInstallResult.stepResults.step_0.extendedResultCode",
    ] {
        let c = code(&p, field);
        assert_eq!(c.value(), "810553366");
        let r = c.matches()[0].erc().unwrap();
        assert_eq!(r.code().as_u32(), 0x3050_1016);
        assert_eq!(r.exit_code(), Some(22));
        assert!(c.indicates_failure());
    }
    assert!(!code(&p, "lastInstallResult.resultCode").is_step_result());
    assert!(code(&p, "lastInstallResult.stepResults.step_0.resultCode").is_step_result());
    // The deployment's own result decides, not its step's.
    assert_eq!(
        p.retry_code().unwrap().field(),
        "lastInstallResult.extendedResultCode"
    );
    assert!(p.is_failure());
    assert_eq!(p.context().device_id.as_deref(), Some("gateway-17"));
}

#[test]
fn agent_1_1_hex_list_root_first_then_informational_with_steps() {
    // du.md, issue #624: "30501028,A0000FFF" = script exit code 40, then ROOTKEY_PKG_UNCHANGED (informational).
    let p = decode_payload(include_str!("fixtures/payload/du-agent-1.1-hex.json")).unwrap();
    assert_eq!(
        fields(&p),
        [
            "lastInstallResult.resultCode",
            "lastInstallResult.extendedResultCodes[0]",
            "lastInstallResult.extendedResultCodes[1]",
            "lastInstallResult.stepResults.step_2.resultCode",
            "lastInstallResult.stepResults.step_2.extendedResultCodes[0]",
            // step_10 succeeded with extended code "00000000": no code to list.
            "lastInstallResult.stepResults.step_10.resultCode",
        ]
    );
    // Read for agent 1.1.0, the version that writes extendedResultCodes.
    assert!(
        p.codes()
            .iter()
            .all(|c| c.agent_version() == Some(AgentVersion::V1_1_0))
    );
    let root = code(&p, "lastInstallResult.extendedResultCodes[0]");
    assert_eq!(root.value(), "30501028");
    assert_eq!(root.matches()[0].erc().unwrap().exit_code(), Some(40));
    assert!(root.indicates_failure() && !root.is_informational());
    let extra = code(&p, "lastInstallResult.extendedResultCodes[1]");
    assert_eq!(extra.value(), "A0000FFF");
    assert_eq!(extra.matches()[0].name(), "ADUC_ERC_ROOTKEY_PKG_UNCHANGED");
    assert!(extra.is_informational() && !extra.indicates_failure());
    let ok = code(&p, "lastInstallResult.stepResults.step_10.resultCode");
    assert_eq!(ok.matches()[0].name(), "ADUC_Result_Apply_Success");
    assert!(!ok.indicates_failure());
    assert_eq!(ok.outcome(), Some(Outcome::DuResultCode(700)));
    // Only meanings that hold for 1.1.0: the 0.6/0.7 per-action result codes are not listed.
    let rc = code(&p, "lastInstallResult.resultCode");
    assert_eq!(rc.matches().len(), 1);
    assert_eq!(rc.matches()[0].name(), "ADUC_Result_Failure");
    assert_eq!(
        p.retry_code().unwrap().field(),
        "lastInstallResult.extendedResultCodes[0]"
    );
    assert_eq!(p.retry().unwrap().action(), Action::OperatorAction);
}

#[test]
fn the_agent_version_narrows_codes_that_moved() {
    // 0xA0000001: a 0.6/0.7 APT handler code and a 1.1.0 root-key code.
    let list = decode_payload(include_str!(
        "fixtures/payload/du-agent-1.1-rootkey-a0000001.json"
    ))
    .unwrap();
    let names: Vec<_> = code(&list, "lastInstallResult.extendedResultCodes[0]")
        .matches()
        .iter()
        .map(|m| m.name())
        .collect();
    assert_eq!(names, ["ADUC_ERC_ROOTKEY_PKG_FAIL_JSON_PARSE"]);

    // The same code as a twin integer: the twin does not say the version, so both readings are listed...
    let twin = r#"{"resultCode":0,"extendedResultCode":-1610612735,"resultDetails":"x"}"#;
    let p = decode_payload(twin).unwrap();
    let c = code(&p, "lastInstallResult.extendedResultCode");
    assert_eq!(c.matches()[0].erc().unwrap().code().as_u32(), 0xA000_0001);
    let names: Vec<_> = c.matches().iter().map(|m| m.name()).collect();
    assert!(
        names.contains(&"ADUC_ERC_ROOTKEY_PKG_FAIL_JSON_PARSE"),
        "{names:?}"
    );
    assert!(
        names.contains(&"ADUC_ERC_APT_HANDLER_INITIALIZATION_FAILURE"),
        "{names:?}"
    );

    // ...unless the caller knows it.
    let opts = PayloadOptions::new().agent_version(AgentVersion::V0_7_0);
    let p = decode_payload_with(twin, &opts).unwrap();
    let c = code(&p, "lastInstallResult.extendedResultCode");
    assert_eq!(c.agent_version(), Some(AgentVersion::V0_7_0));
    let names: Vec<_> = c.matches().iter().map(|m| m.name()).collect();
    assert_eq!(names, ["ADUC_ERC_APT_HANDLER_INITIALIZATION_FAILURE"]);
    // The caller's version also wins over the one the field shape suggests.
    let p = decode_payload_with(
        include_str!("fixtures/payload/du-agent-1.1-rootkey-a0000001.json"),
        &PayloadOptions::new().agent_version(AgentVersion::V1_0_2),
    )
    .unwrap();
    assert!(
        p.codes()
            .iter()
            .all(|c| c.agent_version() == Some(AgentVersion::V1_0_2))
    );
}

#[test]
fn delivery_optimization_http_503_is_retried() {
    // Facility 13 keeps DO's HRESULT 0x801901F7: HTTP_E_STATUS_SERVICE_UNAVAIL, HTTP 503.
    let p = decode_payload(include_str!("fixtures/payload/du-agent-1.1-do-503.json")).unwrap();
    let c = code(&p, "lastInstallResult.extendedResultCodes[0]");
    let r = c.matches()[0].erc().unwrap();
    assert_eq!(r.delivery_optimization().unwrap().http_status(), Some(503));
    let d = p.retry().unwrap();
    assert_eq!(
        (d.action(), d.rule().id()),
        (Action::Retry, "du-download-transient")
    );
    assert!(d.delay_ms().is_some());
}

#[test]
fn success_and_cancel_results() {
    // Apply success with extended code 0: no failure, nothing to do, no extended code listed.
    let p =
        decode_payload(r#"{"resultCode":700,"extendedResultCode":0,"resultDetails":""}"#).unwrap();
    assert_eq!(fields(&p), ["lastInstallResult.resultCode"]);
    assert!(!p.is_failure());
    let d = p.retry().unwrap();
    assert_eq!((d.action(), d.rule().id()), (Action::None, "du-success"));

    // A cancel (-1) is a failure by the agent's rule (<= 0), with its own rule.
    let p =
        decode_payload(r#"{"resultCode":-1,"extendedResultCodes":"00000000","stepResults":{}}"#)
            .unwrap();
    assert_eq!(fields(&p), ["lastInstallResult.resultCode"]);
    assert!(p.codes()[0].indicates_failure() && p.is_failure());
    assert_eq!(p.retry_outcome(), Some(Outcome::DuResultCode(-1)));
    assert_eq!(p.retry().unwrap().rule().id(), "du-cancelled");
}
