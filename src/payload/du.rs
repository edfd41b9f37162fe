//! Device Update agent reported properties (`deviceUpdate.agent`), the `dtmi:azure:iot:deviceUpdate` interface.
//!
//! The values are extracted as the agent wrote them, typed: result codes as `i32`, extended result codes (ERCs)
//! as their `u32` bit patterns. Agents up to 1.0.x report one ERC as the JSON number `extendedResultCode`
//! (a signed 32-bit value, so `0x8xxxxxxx` codes appear negative); agent 1.1.0 reports `extendedResultCodes`, a
//! string of comma-separated 8-digit hex values, the root cause first, followed by up to 8 informational ones.
//! Both spellings are kept when both are present.

use alloc::borrow::Cow;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use super::Limits;
use super::found::{Collector, FoundSpec, Role};
use super::json::{self, Fields};
use crate::catalogue::{Catalogue, Service};
use crate::du::AgentVersion;
use crate::error::{Error, ErrorKind};

const RESULT_CODE_EXPECTED: &str = "an integer result code that fits in 32 bits";
const ERC_EXPECTED: &str = "an extended result code as a 32-bit integer (signed or unsigned) or a decimal or 0x-hex string";
const ERC_LIST_EXPECTED: &str = "comma-separated hex extended result codes of at most 8 digits each, e.g. \"30501028,A0000FFF\"";

/// Parses agent 1.1.0's `extendedResultCodes` string: comma-separated hex values of up to 8 digits (the
/// agent writes exactly 8, uppercase, no prefix), root cause first. An empty string is an empty list.
/// Whitespace around values and a `0x` prefix are tolerated. `None` when a value is not hex or is too long.
///
/// ```
/// use azure_iot_codes::payload::parse_extended_result_codes;
/// assert_eq!(parse_extended_result_codes("30501028,A0000FFF"), Some(vec![0x3050_1028, 0xA000_0FFF]));
/// assert_eq!(parse_extended_result_codes(""), Some(vec![]));
/// assert_eq!(parse_extended_result_codes("30501028,"), None);
/// assert_eq!(parse_extended_result_codes("123456789"), None);
/// ```
pub fn parse_extended_result_codes(text: &str) -> Option<Vec<u32>> {
    if text.trim().is_empty() {
        return Some(Vec::new());
    }
    text.split(',')
        .map(|item| {
            let item = item.trim();
            let hex = item
                .strip_prefix("0x")
                .or_else(|| item.strip_prefix("0X"))
                .unwrap_or(item);
            if hex.is_empty() || hex.len() > 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            u32::from_str_radix(hex, 16).ok()
        })
        .collect()
}

/// A result (`lastInstallResult`, or one of its `stepResults`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct InstallResult {
    /// `resultCode` (`ADUC_Result`): > 0 success, <= 0 failure (700 = apply succeeded, 0 = failure, -1 =
    /// cancelled).
    pub result_code: Option<i32>,
    /// `extendedResultCode` (agents up to 1.0.x): the ERC's 32-bit pattern.
    pub extended_result_code: Option<u32>,
    /// `extendedResultCodes` (agent 1.1.0): the ERCs, root cause first.
    pub extended_result_codes: Option<Vec<u32>>,
    /// `resultDetails`: free text from the agent or update handler.
    pub result_details: Option<String>,
}

impl InstallResult {
    /// The root-cause ERC: the first of `extendedResultCodes`, else `extendedResultCode`.
    pub fn root_extended_result_code(&self) -> Option<u32> {
        self.extended_result_codes
            .as_ref()
            .and_then(|v| v.first().copied())
            .or(self.extended_result_code)
    }

    /// Whether `resultCode` reports failure (<= 0).
    pub fn is_failure(&self) -> bool {
        self.result_code.is_some_and(|c| c <= 0)
    }

    /// The fields, for the structs that embed them (written out rather than with serde's `flatten`, which
    /// would serialize those structs as maps: the WASM binding tells struct fields, which it writes in
    /// camelCase, from map keys, which it keeps as they are).
    fn serialize_fields<S: SerializeStruct>(&self, st: &mut S) -> Result<(), S::Error> {
        st.serialize_field("result_code", &self.result_code)?;
        st.serialize_field("extended_result_code", &self.extended_result_code)?;
        st.serialize_field("extended_result_codes", &self.extended_result_codes)?;
        st.serialize_field("result_details", &self.result_details)
    }

    fn from_fields(
        f: &Fields<'_>,
        code_path: &'static str,
        erc_path: &'static str,
        ercs_path: &'static str,
        details_path: &'static str,
    ) -> Result<InstallResult, Error> {
        let result_code = f
            .integer(
                "resultCode",
                code_path,
                i64::from(i32::MIN),
                i64::from(i32::MAX),
                RESULT_CODE_EXPECTED,
            )?
            .map(|n| n as i32);
        let extended_result_code = match f.get("extendedResultCode") {
            None => None,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(v) if (i64::from(i32::MIN)..=i64::from(u32::MAX)).contains(&v) => {
                    Some(v as u32)
                }
                _ => return Err(f.wrong(erc_path, ERC_EXPECTED)),
            },
            Some(Value::String(s)) => Some(
                crate::parse_number(s, ERC_EXPECTED)
                    .map_err(|_| f.wrong(erc_path, ERC_EXPECTED))?
                    .value,
            ),
            Some(_) => return Err(f.wrong(erc_path, ERC_EXPECTED)),
        };
        let extended_result_codes = match f.get("extendedResultCodes") {
            None => None,
            Some(Value::String(s)) => Some(
                parse_extended_result_codes(s)
                    .ok_or_else(|| f.wrong(ercs_path, ERC_LIST_EXPECTED))?,
            ),
            Some(_) => return Err(f.wrong(ercs_path, ERC_LIST_EXPECTED)),
        };
        Ok(InstallResult {
            result_code,
            extended_result_code,
            extended_result_codes,
            result_details: f.text("resultDetails", details_path)?,
        })
    }
}

impl Serialize for InstallResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("InstallResult", 4)?;
        self.serialize_fields(&mut st)?;
        st.end()
    }
}

/// One entry of `stepResults`, with its key (`step_0`, `step_1`, ...). Serializes as `step_id` followed by
/// the result's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StepResult {
    /// The key as written (`step_0`).
    pub step_id: String,
    /// The step's result.
    pub result: InstallResult,
}

impl Serialize for StepResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("StepResult", 5)?;
        st.serialize_field("step_id", &self.step_id)?;
        self.result.serialize_fields(&mut st)?;
        st.end()
    }
}

/// `lastInstallResult`: the deployment's result and its steps' results. Serializes as the result's fields
/// followed by `step_results`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct LastInstallResult {
    /// The overall result.
    pub result: InstallResult,
    /// `stepResults`, in step order (`step_2` before `step_10`).
    pub step_results: Vec<StepResult>,
}

impl Serialize for LastInstallResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("LastInstallResult", 5)?;
        self.result.serialize_fields(&mut st)?;
        st.serialize_field("step_results", &self.step_results)?;
        st.end()
    }
}

/// `workflow`: the deployment the agent is working on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct Workflow {
    /// `action` (`ADUCITF_UpdateAction`: 3 = ProcessDeployment, 255 = Cancel).
    pub action: Option<i32>,
    /// `id`: the workflow (deployment) id.
    pub id: Option<String>,
    /// `retryTimestamp`, raw.
    pub retry_timestamp: Option<String>,
}

/// The Device Update agent's reported properties, found in a whole twin (`properties.reported.deviceUpdate`),
/// the reported section, the `deviceUpdate` component, its `agent` object, or a bare `lastInstallResult`. A key
/// written twice counts once, with its last value, at every level (a step id twice in `stepResults`: one step,
/// the last result).
///
/// ```
/// use azure_iot_codes::payload::DeviceUpdateAgent;
/// let a = DeviceUpdateAgent::from_json(r#"{"deviceUpdate":{"__t":"c","agent":{"state":255,
///   "lastInstallResult":{"resultCode":0,"extendedResultCodes":"30501028,A0000FFF","resultDetails":"",
///   "stepResults":{"step_0":{"resultCode":0,"extendedResultCodes":"30501028","resultDetails":"exit 40"}}}}}}"#)
///   .unwrap();
/// let r = a.last_install_result.unwrap();
/// assert_eq!(r.result.result_code, Some(0));
/// assert_eq!(r.result.root_extended_result_code(), Some(0x3050_1028));
/// assert_eq!(r.step_results[0].step_id, "step_0");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[non_exhaustive]
pub struct DeviceUpdateAgent {
    /// The twin's `deviceId`, when a whole twin was given.
    pub device_id: Option<String>,
    /// The twin's `moduleId`, when a whole module twin was given.
    pub module_id: Option<String>,
    /// `state` (`ADUCITF_State`: 0 Idle, 6 DeploymentInProgress, 255 Failed, ...).
    pub state: Option<i32>,
    /// `installedUpdateId`, raw (itself a JSON-encoded update id).
    pub installed_update_id: Option<String>,
    /// `workflow`.
    pub workflow: Option<Workflow>,
    /// `lastInstallResult`.
    pub last_install_result: Option<LastInstallResult>,
}

fn obj_at<'v>(o: &'v Map<String, Value>, key: &str) -> Option<&'v Map<String, Value>> {
    o.get(key).and_then(Value::as_object)
}

fn step_order(key: &str) -> (u8, u64, &str) {
    match key
        .strip_prefix("step_")
        .and_then(|n| n.parse::<u64>().ok())
    {
        Some(n) => (0, n, key),
        None => (1, 0, key),
    }
}

impl DeviceUpdateAgent {
    /// Parses a twin (or part of one) holding Device Update agent properties, with the default [`Limits`].
    pub fn from_json(text: &str) -> Result<DeviceUpdateAgent, Error> {
        let v = json::parse(text, &Limits::new(), 0)?;
        let obj = v
            .as_object()
            .ok_or_else(|| Error::new(ErrorKind::UnknownShape, text, "a JSON object"))?;
        DeviceUpdateAgent::find(&Fields::new(obj, text))?.ok_or_else(|| {
            Error::new(
                ErrorKind::UnknownShape,
                text,
                "a twin with properties.reported.deviceUpdate.agent, or the deviceUpdate component, its agent \
                 object or a lastInstallResult",
            )
        })
    }

    /// Finds the agent object wherever it sits. `Ok(None)`: not a Device Update payload.
    pub(crate) fn find(f: &Fields<'_>) -> Result<Option<DeviceUpdateAgent>, Error> {
        let twin_ids = |mut a: DeviceUpdateAgent| -> Result<DeviceUpdateAgent, Error> {
            a.device_id = f.text("deviceId", "deviceId")?;
            a.module_id = f.text("moduleId", "moduleId")?;
            Ok(a)
        };
        // Whole twin.
        let du = obj_at(f.obj, "properties")
            .and_then(|p| obj_at(p, "reported"))
            .and_then(|r| obj_at(r, "deviceUpdate"));
        if let Some(agent) = du.and_then(|du| obj_at(du, "agent")) {
            return DeviceUpdateAgent::from_agent(&f.sub(agent))
                .and_then(twin_ids)
                .map(Some);
        }
        // Reported section, or the component.
        if let Some(agent) = obj_at(f.obj, "deviceUpdate").and_then(|du| obj_at(du, "agent")) {
            return DeviceUpdateAgent::from_agent(&f.sub(agent)).map(Some);
        }
        // The agent object.
        if let Some(agent) = f.get("agent").and_then(Value::as_object) {
            let g = f.sub(agent);
            if [
                "lastInstallResult",
                "state",
                "workflow",
                "installedUpdateId",
            ]
            .iter()
            .any(|k| g.has(k))
            {
                return DeviceUpdateAgent::from_agent(&g).map(Some);
            }
        }
        if f.get("lastInstallResult").is_some_and(Value::is_object) {
            return DeviceUpdateAgent::from_agent(f).map(Some);
        }
        // A bare lastInstallResult. The diagnostics component's `{resultCode, extendedResultCode,
        // operationId}` is a different interface and is left alone.
        let bare = f.has("resultCode")
            && !f.has("operationId")
            && (f.has("extendedResultCodes")
                || f.has("stepResults")
                || (f.has("extendedResultCode") && f.has("resultDetails")));
        if bare {
            let r = DeviceUpdateAgent::last_install_result(f)?;
            return Ok(Some(DeviceUpdateAgent {
                last_install_result: Some(r),
                ..DeviceUpdateAgent::default()
            }));
        }
        Ok(None)
    }

    fn from_agent(f: &Fields<'_>) -> Result<DeviceUpdateAgent, Error> {
        let workflow = f
            .object("workflow", "agent.workflow")?
            .map(|w| {
                let g = f.sub(w);
                Ok::<_, Error>(Workflow {
                    action: g
                        .integer(
                            "action",
                            "agent.workflow.action",
                            i64::from(i32::MIN),
                            i64::from(i32::MAX),
                            "an integer update action",
                        )?
                        .map(|n| n as i32),
                    id: g.text("id", "agent.workflow.id")?,
                    retry_timestamp: g.text("retryTimestamp", "agent.workflow.retryTimestamp")?,
                })
            })
            .transpose()?;
        let last_install_result = f
            .object("lastInstallResult", "agent.lastInstallResult")?
            .map(|r| DeviceUpdateAgent::last_install_result(&f.sub(r)))
            .transpose()?;
        Ok(DeviceUpdateAgent {
            device_id: None,
            module_id: None,
            state: f
                .integer(
                    "state",
                    "agent.state",
                    i64::from(i32::MIN),
                    i64::from(i32::MAX),
                    "an integer agent state",
                )?
                .map(|n| n as i32),
            installed_update_id: f.text("installedUpdateId", "agent.installedUpdateId")?,
            workflow,
            last_install_result,
        })
    }

    fn last_install_result(f: &Fields<'_>) -> Result<LastInstallResult, Error> {
        let result = InstallResult::from_fields(
            f,
            "lastInstallResult.resultCode",
            "lastInstallResult.extendedResultCode",
            "lastInstallResult.extendedResultCodes",
            "lastInstallResult.resultDetails",
        )?;
        let mut step_results = Vec::new();
        if let Some(steps) = f.object("stepResults", "lastInstallResult.stepResults")? {
            for (key, v) in steps {
                let step = v.as_object().ok_or_else(|| {
                    f.wrong(
                        "lastInstallResult.stepResults",
                        "a map of step ids to result objects",
                    )
                })?;
                let result = InstallResult::from_fields(
                    &f.sub(step),
                    "lastInstallResult.stepResults.*.resultCode",
                    "lastInstallResult.stepResults.*.extendedResultCode",
                    "lastInstallResult.stepResults.*.extendedResultCodes",
                    "lastInstallResult.stepResults.*.resultDetails",
                )?;
                step_results.push(StepResult {
                    step_id: key.clone(),
                    result,
                });
            }
        }
        // The keys are distinct (a JSON object's), so no two steps compare equal and an unstable sort gives
        // the one order; it also brings less code into the WebAssembly module than the stable sort.
        step_results.sort_unstable_by(|a, b| step_order(&a.step_id).cmp(&step_order(&b.step_id)));
        Ok(LastInstallResult {
            result,
            step_results,
        })
    }

    /// Whether the last install result reports failure (`resultCode` <= 0).
    pub fn is_failure(&self) -> bool {
        self.last_install_result
            .as_ref()
            .is_some_and(|r| r.result.is_failure())
    }

    /// Context, then the codes: each result's `resultCode` in the Device Update result catalogue, and its
    /// extended result codes through the Device Update reading (root first; agent 1.1.0's later codes are
    /// informational), the deployment's result before its steps'. The generic catalogues would misread them
    /// (`200` is Idle_Success, not HTTP OK).
    pub(crate) fn collect(&self, c: &mut Collector<'_>) {
        if c.service.is_none() {
            c.service = Some(Service::DeviceUpdate);
        }
        c.set(|x| &mut x.device_id, self.device_id.as_deref());
        c.set(|x| &mut x.module_id, self.module_id.as_deref());
        if let Some(w) = &self.workflow {
            c.set(|x| &mut x.workflow_id, w.id.as_deref());
            c.timestamp(
                "agent.workflow.retryTimestamp",
                w.retry_timestamp.as_deref(),
            );
        }
        let Some(r) = &self.last_install_result else {
            return;
        };
        if let Some(d) = r.result.result_details.as_deref() {
            c.set(|x| &mut x.message, Some(d));
        }
        collect_result(c, "lastInstallResult", &r.result, Role::Main);
        for step in &r.step_results {
            let base = format!("lastInstallResult.stepResults.{}", step.step_id);
            collect_result(c, &base, &step.result, Role::Step);
        }
    }
}

/// Records one result's codes under `base` (`lastInstallResult`, `lastInstallResult.stepResults.step_0`).
///
/// The agent version is the caller's; otherwise a result written as `extendedResultCodes` is read for agent
/// 1.1.0, the version that introduced that field (du.md: 0.8.0-1.0.2 write the integer `extendedResultCode`,
/// 1.1.0 the hex string), and an integer `extendedResultCode` for every version (the twin does not say which).
/// Codes are decoded from their `0x` hex form, so that an 8-digit decimal is never read as agent 1.1.0's bare
/// hex; the value keeps the agent's own spelling (the signed decimal of 1.0.x twins, 1.1.0's 8 hex digits).
/// An extended result code of 0 is what the agent writes when it has nothing to add (a successful step, a
/// cancel): it is kept in the typed parse but not listed as a code. An informational code keeps its index.
fn collect_result(c: &mut Collector<'_>, base: &str, r: &InstallResult, role: Role) {
    let version = c.agent_version.or_else(|| {
        r.extended_result_codes
            .is_some()
            .then_some(AgentVersion::V1_1_0)
    });
    if let Some(rc) = r.result_code {
        let value = rc.to_string();
        c.code_spec(FoundSpec {
            field: Cow::Owned(format!("{base}.resultCode")),
            input: &value,
            value: value.clone(),
            catalogue: Catalogue::DuResultCode,
            agent_version: version,
            role,
        });
    }
    for (i, &code) in r.extended_result_codes.iter().flatten().enumerate() {
        if code == 0 {
            continue;
        }
        let input = format!("0x{code:08X}");
        c.code_spec(FoundSpec {
            field: Cow::Owned(format!("{base}.extendedResultCodes[{i}]")),
            value: format!("{code:08X}"),
            input: &input,
            catalogue: Catalogue::DuExtendedResultCode,
            agent_version: version,
            role: if i == 0 { role } else { Role::Informational },
        });
    }
    if let Some(code) = r.extended_result_code.filter(|&c| c != 0) {
        let input = format!("0x{code:08X}");
        c.code_spec(FoundSpec {
            field: Cow::Owned(format!("{base}.extendedResultCode")),
            value: (code as i32).to_string(),
            input: &input,
            catalogue: Catalogue::DuExtendedResultCode,
            agent_version: c.agent_version,
            role,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn erc_lists() {
        // du.md: issue #624 and #748 values.
        assert_eq!(
            parse_extended_result_codes("30501028,A0000FFF"),
            Some(vec![0x3050_1028, 0xA000_0FFF])
        );
        assert_eq!(
            parse_extended_result_codes("D0190193,F0000FFF"),
            Some(vec![0xD019_0193, 0xF000_0FFF])
        );
        assert_eq!(parse_extended_result_codes(" 0x1 , 2 "), Some(vec![1, 2]));
        for bad in ["G0000000", ",", "1,,2", "0x", "-1"] {
            assert_eq!(parse_extended_result_codes(bad), None, "{bad}");
        }
    }

    #[test]
    fn steps_sort_numerically() {
        let mut keys = vec!["step_10", "x", "step_2", "step_0"];
        keys.sort_by(|a, b| step_order(a).cmp(&step_order(b)));
        assert_eq!(keys, ["step_0", "step_2", "step_10", "x"]);
    }
}
