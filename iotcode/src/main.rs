//! `iotcode`: decode Azure IoT Hub, DPS, IoT Central and Device Update codes in a terminal.
//!
//! Exit status: 0 when every input decoded, 1 when at least one did not (the reason is on stderr), 2 on usage
//! errors. See the README for the JSON contract and the `annotate` / `report` contract.
#![forbid(unsafe_code)]

/// `eprintln!` that cannot panic: a message that cannot be written (stderr closed or full) is dropped, and
/// the exit status still tells what happened.
macro_rules! report {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod annotate;
mod central_out;
mod records;
mod report;

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::ExitCode;

use central_out::{print_report, run_export_role};

use azure_iot_codes::central;
use azure_iot_codes::du::AgentVersion;
use azure_iot_codes::du::log_collection::{DeviceLogResult, DeviceLogStatus, LogOperation};
use azure_iot_codes::payload::{Limits, Parsed, Payload, PayloadOptions, decode_payload_with};
// The decode documents and their retry decisions, shared with the C API and the WASM module.
use azure_iot_codes::report::{InputReport, Reading, ReportOptions};
use azure_iot_codes::retry::{
    self, Context, Decision, Operation, Outcome, Policy, SplitMix64, SubCode,
};
use azure_iot_codes::{
    AuthSubError, Catalogue, DecodeOptions, Decoded, Error, Match, Meaning, Service,
    ServiceErrorCode, decode_with, parse_number,
};
use clap::{Parser, Subcommand};
use serde::Serialize;

mod json;

#[derive(Parser)]
#[command(
    name = "iotcode",
    version,
    about = "Decode Azure IoT Hub, DPS, IoT Central and Device Update codes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode codes: numbers (404001, 0x191, -1), names (DEVICE_DISABLED, assigning) or "404 Not Found";
    /// payloads that carry them: MQTT response topics, DPS / IoT Hub JSON bodies, an `iothub-errorcode:`
    /// header, Device Update twins, AzureDiagnostics rows; or pasted output of `az iot central diagnostics`
    /// (validate-messages, validate-properties, monitor-events, monitor-properties) and
    /// `az iot central device registration-info`.
    Decode {
        /// The codes, payloads or pasted texts to decode; `-` reads one input from stdin.
        #[arg(required = true, value_name = "INPUT")]
        inputs: Vec<String>,
        /// Largest payload read, in bytes.
        #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX_BYTES)]
        max_bytes: usize,
        /// Print one JSON document (an array of documents for several inputs).
        #[arg(long)]
        json: bool,
        /// Only consider this catalogue (e.g. service-error, http-status, du-extended-result-code; `du-erc`
        /// for short). `--as du-erc` forces the Device Update reading of a bare number.
        #[arg(long = "catalogue", visible_alias = "as", value_name = "CATALOGUE", value_parser = parse_catalogue)]
        catalogue: Option<Catalogue>,
        /// Device Update agent version (e.g. 1.0.2): only meanings that hold for it.
        #[arg(long, value_name = "X.Y.Z", value_parser = parse_agent_version)]
        agent_version: Option<AgentVersion>,
        /// Only meanings that apply to this service (iot-hub, dps, iot-central, device-update).
        #[arg(long, value_name = "SERVICE", value_parser = parse_service)]
        service: Option<Service>,
        /// Seed of the jitter in the retry delays shown (the same seed gives the same delays).
        #[arg(long, value_name = "N", default_value_t = 0)]
        seed: u64,
        /// The Retry-After header that came with the response (seconds or an HTTP-date), for the retry
        /// decisions shown; it replaces a topic's `retry-after=`.
        #[arg(long = "retry-after", value_name = "V", allow_hyphen_values = true)]
        retry_after: Option<String>,
    },
    /// The next action for a code: retry (after how long), re-register, renew credentials, fix the request...
    Retry {
        /// The code: an HTTP status, a six-digit error code, a sub-error, a DPS or IoT Central status.
        #[arg(value_name = "CODE")]
        code: String,
        /// The service that answered (iot-hub, dps, iot-central, device-update); default: the code's own.
        #[arg(long, value_name = "SERVICE", value_parser = parse_service)]
        service: Option<Service>,
        /// The more specific code that came with it: a six-digit errorCode or an IoT Central sub-error.
        #[arg(long = "sub-code", value_name = "X", value_parser = parse_sub_code)]
        sub_code: Option<SubCode>,
        /// The Retry-After value: seconds, an HTTP-date, or a DPS response topic with a retry-after parameter.
        #[arg(long = "retry-after", value_name = "V", allow_hyphen_values = true)]
        retry_after: Option<String>,
        /// Which attempt failed, counting from 1.
        #[arg(long, value_name = "N", default_value_t = 1)]
        attempt: u32,
        /// Seconds since the first attempt started.
        #[arg(long, value_name = "SECONDS", default_value_t = 0)]
        elapsed: u64,
        /// A device's own call, or a back end's REST call.
        #[arg(long, value_name = "OPERATION", default_value = "device", value_parser = parse_operation)]
        operation: Operation,
        /// How many of the following decisions to show if the next attempts fail the same way.
        #[arg(long, value_name = "N", default_value_t = 5)]
        next: usize,
        /// Seed of the jitter (the same seed gives the same delays).
        #[arg(long, value_name = "N", default_value_t = 0)]
        seed: u64,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The role an IoT Central export destination needs for a managed identity, and the other checks.
    ExportRole {
        /// blob-storage, service-bus, event-hubs or data-explorer (names such as "Azure Event Hubs" work).
        destination: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Device Update tools.
    Du {
        #[command(subcommand)]
        command: DuCommand,
    },
    /// Write every record of a log export (JSON lines or CSV) with the decoded codes added.
    Annotate {
        /// The export; stdin when absent or `-`.
        file: Option<String>,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Summarise a log export: counts by code with meaning and mitigation, most affected devices, DPS funnel.
    Report {
        /// The export; stdin when absent or `-`.
        file: Option<String>,
        #[command(flatten)]
        input: InputArgs,
        /// Print JSON.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print Markdown.
        #[arg(long)]
        markdown: bool,
        /// How many devices to list.
        #[arg(long, value_name = "N", default_value_t = 10)]
        top: usize,
    },
    /// Print a catalogue, or the list of catalogues when none is named.
    List {
        /// The catalogue to print (http-status, service-error, auth-suberror, iot-central-status,
        /// dps-registration-status, dps-registration-substatus, mqtt-connack).
        #[arg(value_parser = parse_catalogue)]
        catalogue: Option<Catalogue>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
struct InputArgs {
    /// JSON lines or CSV (auto: `{` first means JSON lines).
    #[arg(long, value_enum, default_value_t = records::Format::Auto)]
    format: records::Format,
    /// Largest record read, in bytes; longer ones are passed through and reported.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT_MAX_BYTES)]
    max_bytes: usize,
    /// The service the export comes from, when the rows do not say.
    #[arg(long, value_name = "SERVICE", value_parser = parse_service)]
    service: Option<Service>,
    /// No progress or summary on stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Subcommand)]
enum DuCommand {
    /// Read a log collection operation's per-device results (JSON) and print its overall status and the
    /// per-device breakdown.
    ///
    /// Accepts the service's detailed status (`{"deviceStatus": [{"deviceId", "moduleId", "status",
    /// "resultCode", "extendedResultCode"}]}`) or `{"devices": [...]}` with the same fields; codes may be
    /// numbers or strings. Use `-` for stdin.
    LogOperation {
        /// The JSON file.
        file: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn parse_catalogue(s: &str) -> Result<Catalogue, String> {
    if s == "du-erc" {
        return Ok(Catalogue::DuExtendedResultCode);
    }
    s.parse::<Catalogue>().map_err(|e| e.to_string())
}

fn parse_agent_version(s: &str) -> Result<AgentVersion, String> {
    s.parse::<AgentVersion>().map_err(|e| e.to_string())
}

fn parse_service(s: &str) -> Result<Service, String> {
    s.parse::<Service>().map_err(|e| e.to_string())
}

fn parse_operation(s: &str) -> Result<Operation, String> {
    s.parse::<Operation>().map_err(|e| e.to_string())
}

/// A six-digit code (number or name) or an IoT Central sub-error (`DEVICE_DISABLED`).
fn parse_sub_code(s: &str) -> Result<SubCode, String> {
    if let Ok(n) = parse_number(s, "") {
        return ServiceErrorCode::new(n.value)
            .map(SubCode::from)
            .map_err(|_| format!("{s:?} is not a six-digit error code (100000-599999)"));
    }
    if let Ok(a) = s.parse::<AuthSubError>() {
        return Ok(SubCode::from(a));
    }
    s.parse::<ServiceErrorCode>().map(SubCode::from).map_err(|_| {
        format!(
            "cannot use {s:?} as a sub-code (expected a six-digit error code or its name, or an IoT Central \
             sub-error such as DEVICE_DISABLED)"
        )
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Decode {
            inputs,
            max_bytes,
            json,
            catalogue,
            service,
            agent_version,
            seed,
            retry_after,
        } => {
            let mut decode = DecodeOptions::new();
            decode.catalogue = catalogue;
            decode.service = service;
            decode.agent_version = agent_version;
            let mut options = ReportOptions::new()
                .decode(decode)
                .seed(seed)
                .limits(Limits::new().max_bytes(max_bytes));
            options.retry_after = retry_after.as_deref();
            options.now_unix = now_unix();
            match read_inputs(inputs, max_bytes) {
                Ok(inputs) => run_decode(&mut out, &inputs, json, &options),
                Err(code) => return code,
            }
        }
        Command::Annotate { file, input } => return run_annotate(&mut out, file, &input),
        Command::Report {
            file,
            input,
            json,
            markdown,
            top,
        } => return run_report(&mut out, file, &input, json, markdown, top),
        Command::Retry {
            code,
            service,
            sub_code,
            retry_after,
            attempt,
            elapsed,
            operation,
            next,
            seed,
            json,
        } => {
            let mut ctx = Context::new()
                .operation(operation)
                .attempt(attempt)
                .elapsed(std::time::Duration::from_secs(elapsed));
            ctx.sub_code = sub_code;
            ctx.now_unix = now_unix();
            if let Some(v) = retry_after.as_deref() {
                ctx = if v.contains("retry-after=") || v.starts_with("$dps/") {
                    ctx.retry_after_from_dps_topic(v)
                } else {
                    ctx.retry_after(v)
                };
            }
            let args = RetryArgs {
                service,
                ctx,
                next,
                seed,
                json,
            };
            run_retry(&mut out, &code, &args)
        }
        Command::ExportRole { destination, json } => run_export_role(&mut out, &destination, json),
        Command::Du {
            command: DuCommand::LogOperation { file, json },
        } => run_log_operation(&mut out, &file, json),
        Command::List { catalogue, json } => {
            run_list(&mut out, catalogue, json).map(|()| ExitCode::SUCCESS)
        }
    };
    match result.and_then(|code| out.flush().map(|()| code)) {
        Ok(code) => code,
        // A closed pipe (`iotcode list | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report!("iotcode: cannot write output: {e}");
            ExitCode::from(1)
        }
    }
}

/// Seconds since the Unix epoch, to read an HTTP-date Retry-After.
fn now_unix() -> Option<u64> {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_secs())
}

/// `-` stands for stdin, read once however often it is given. At most the larger of `max_bytes` and the IoT
/// Central reader's limit is read: a longer stdin is refused rather than cut short. Input that is not UTF-8 is
/// reported through the payload decoder, which names the first bad byte.
fn read_inputs(inputs: Vec<String>, max_bytes: usize) -> Result<Vec<String>, ExitCode> {
    let mut stdin: Option<String> = None;
    let mut out = Vec::with_capacity(inputs.len());
    for input in inputs {
        if input != "-" {
            out.push(input);
            continue;
        }
        if stdin.is_none() {
            stdin = Some(read_stdin(max_bytes)?);
        }
        out.push(stdin.clone().unwrap_or_default());
    }
    Ok(out)
}

fn read_stdin(max_bytes: usize) -> Result<String, ExitCode> {
    let bound = max_bytes.max(central::MAX_INPUT_LEN);
    let mut bytes = Vec::new();
    let limit = u64::try_from(bound).unwrap_or(u64::MAX).saturating_add(1);
    if let Err(e) = std::io::stdin().lock().take(limit).read_to_end(&mut bytes) {
        report!("iotcode: cannot read stdin: {e}");
        return Err(ExitCode::from(2));
    }
    if bytes.len() > bound {
        report!("iotcode: stdin is longer than {bound} bytes; not read");
        return Err(ExitCode::from(1));
    }
    String::from_utf8(bytes).map_err(|e| {
        match decode_payload_with(e.as_bytes(), &PayloadOptions::new()) {
            Err(err) => report!("iotcode: {err}"),
            Ok(_) => report!("iotcode: stdin is not UTF-8"),
        }
        ExitCode::from(1)
    })
}

/// How an input is shown in messages: itself, or its first line when it is a pasted text.
fn shown(input: &str) -> String {
    let first = input.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if input.contains('\n') {
        format!(
            "{:?} (pasted text)",
            first.chars().take(60).collect::<String>()
        )
    } else {
        format!("{input:?}")
    }
}

fn run_decode(
    out: &mut impl Write,
    inputs: &[String],
    json: bool,
    options: &ReportOptions<'_>,
) -> std::io::Result<ExitCode> {
    let mut failed = false;
    let readings: Vec<Reading> = inputs
        .iter()
        .map(|input| Reading::read(input, options))
        .collect();
    let mut docs = Vec::with_capacity(inputs.len());
    for (i, (input, reading)) in inputs.iter().zip(&readings).enumerate() {
        let doc = InputReport::new(input, reading, options);
        if let Some(e) = reading.error() {
            failed = true;
            report!("iotcode: {e}");
        }
        match reading {
            Reading::Central {
                report: Ok(report), ..
            } => {
                if !report.unrecognised.is_empty() || !report.recognised_anything() {
                    failed = true;
                    report!(
                        "iotcode: {}: {} of {} lines not understood (kept under \"Not understood\")",
                        shown(input),
                        report.unrecognised.len(),
                        report.line_count
                    );
                }
                if !json {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    print_report(out, report)?;
                    if let Some(d) = doc.payload().and_then(|p| p.retry()) {
                        writeln!(out)?;
                        print_next_action(out, &d)?;
                    }
                }
            }
            Reading::Payload(Ok(p)) => {
                for c in p.codes() {
                    if let Err(e) = c.decoded() {
                        failed = true;
                        report!("iotcode: {}: {e}", c.field());
                    }
                }
                if !json {
                    if i > 0 {
                        writeln!(out)?;
                    }
                    print_payload(out, input, p, &doc)?;
                }
            }
            Reading::Code(Ok(d)) if !json => {
                if i > 0 {
                    writeln!(out)?;
                }
                print_matches(out, input, d, &doc)?;
            }
            _ => {}
        }
        if json {
            docs.push(doc);
        }
    }
    if json {
        let text = if docs.len() == 1 {
            serde_json::to_string_pretty(&docs[0])
        } else {
            serde_json::to_string_pretty(&docs)
        };
        writeln!(out, "{}", text.map_err(std::io::Error::other)?)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A payload on one line (runs of blanks and line breaks become one space), shortened, to head its text output.
fn headline(input: &str) -> String {
    let flat = input.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > 72 {
        let cut: String = flat.chars().take(69).collect();
        format!("{cut}...")
    } else {
        flat
    }
}

fn print_payload(
    out: &mut impl Write,
    input: &str,
    p: &Payload,
    doc: &InputReport<'_>,
) -> std::io::Result<()> {
    let service = p
        .service()
        .map(|s| format!(" from {s}"))
        .unwrap_or_default();
    let n = p.codes().len();
    let plural = if n == 1 { "code" } else { "codes" };
    writeln!(
        out,
        "{}: {}{service}, {n} {plural}",
        headline(input),
        p.kind()
    )?;
    if let Ok(serde_json::Value::Object(ctx)) = serde_json::to_value(p.context()) {
        for (k, v) in ctx {
            if k == "timestamps" {
                for t in v.as_array().into_iter().flatten() {
                    writeln!(
                        out,
                        "   {}: {}",
                        t["field"].as_str().unwrap_or(""),
                        t["value"].as_str().unwrap_or("")
                    )?;
                }
            } else {
                writeln!(
                    out,
                    "   {k}: {}",
                    v.as_str().map_or_else(|| v.to_string(), str::to_string)
                )?;
            }
        }
    }
    if let Parsed::DeviceUpdate(du) = p.parsed() {
        print_device_update(out, du)?;
    }
    for w in p.warnings() {
        writeln!(out, "   warning: {w}")?;
    }
    if let Some(d) = doc.payload().and_then(|r| r.retry()) {
        let on = p
            .retry_code()
            .map(|c| format!(", on {} {}", c.field(), c.value()))
            .unwrap_or_default();
        writeln!(
            out,
            "   next action: {}{}  [{} for {}{on}]",
            d.action(),
            d.delay()
                .map(|t| format!(" after {}", human(t)))
                .unwrap_or_default(),
            d.rule().id(),
            d.service()
        )?;
        writeln!(out, "   why: {}", d.reason())?;
    }
    for c in p.codes() {
        writeln!(out)?;
        let m = c.matches();
        let plural = if m.len() == 1 { "meaning" } else { "meanings" };
        let mut notes = Vec::new();
        if c.is_informational() {
            notes.push("informational".to_string());
        }
        if let Some(v) = c.agent_version() {
            notes.push(format!("read for agent {v}"));
        }
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        writeln!(
            out,
            "{} = {}{notes}: {} {plural}",
            c.field(),
            c.value(),
            m.len()
        )?;
        for (i, meaning) in m.iter().enumerate() {
            print_meaning(out, i + 1, meaning)?;
            print_next_action(out, &doc.decide(meaning))?;
        }
    }
    Ok(())
}

fn print_device_update(
    out: &mut impl Write,
    du: &azure_iot_codes::payload::DeviceUpdateAgent,
) -> std::io::Result<()> {
    fn result_line(r: &azure_iot_codes::payload::InstallResult) -> String {
        let mut parts = Vec::new();
        if let Some(c) = r.result_code {
            parts.push(format!("resultCode {c}"));
        }
        if let Some(e) = r.extended_result_code {
            parts.push(format!("extendedResultCode {e:#010X} ({})", e as i32));
        }
        if let Some(list) = &r.extended_result_codes {
            let hex: Vec<String> = list.iter().map(|e| format!("{e:#010X}")).collect();
            parts.push(format!(
                "extendedResultCodes [{}] (root first)",
                hex.join(", ")
            ));
        }
        if let Some(d) = r.result_details.as_deref().filter(|d| !d.is_empty()) {
            parts.push(format!("details {d:?}"));
        }
        parts.join(", ")
    }
    if let Some(state) = du.state {
        writeln!(out, "   agent state: {state}")?;
    }
    if let Some(r) = &du.last_install_result {
        writeln!(out, "   lastInstallResult: {}", result_line(&r.result))?;
        for s in &r.step_results {
            writeln!(out, "   {}: {}", s.step_id, result_line(&s.result))?;
        }
    }
    Ok(())
}

fn print_matches(
    out: &mut impl Write,
    input: &str,
    d: &Decoded,
    doc: &InputReport<'_>,
) -> std::io::Result<()> {
    let count = d.len();
    let plural = if count == 1 { "meaning" } else { "meanings" };
    writeln!(out, "{input}: {count} {plural}")?;
    for (i, m) in d.iter().enumerate() {
        writeln!(out)?;
        print_meaning(out, i + 1, m)?;
        print_next_action(out, &doc.decide(m))?;
    }
    Ok(())
}

fn print_next_action(out: &mut impl Write, r: &Decision) -> std::io::Result<()> {
    writeln!(
        out,
        "   Next action:   {}{}  [{} for {}; iotcode retry for details]",
        r.action(),
        r.delay()
            .map(|d| format!(" after {}", human(d)))
            .unwrap_or_default(),
        r.rule().id(),
        r.service()
    )
}

/// `250 ms`, `7 s`, `1.234 s`.
fn human(d: std::time::Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        let s = format!("{}.{:03}", ms / 1000, ms % 1000);
        format!("{} s", s.trim_end_matches('0'))
    }
}

struct RetryArgs<'a> {
    service: Option<Service>,
    ctx: Context<'a>,
    next: usize,
    seed: u64,
    json: bool,
}

/// One thing the `retry` input can be: a decoded row, or a bare number no catalogue has.
struct Subject {
    outcome: Outcome,
    meaning: Option<&'static Meaning>,
    code: String,
}

#[derive(Serialize)]
struct Step {
    attempt: u32,
    action: retry::Action,
    delay_ms: Option<u64>,
}

#[derive(Serialize)]
struct RetryItem {
    catalogue: Option<Catalogue>,
    code: serde_json::Value,
    name: Option<&'static str>,
    service: Service,
    retry: Decision,
    next: Vec<Step>,
}

#[derive(Serialize)]
struct RetryDoc<'a> {
    input: &'a str,
    decisions: Vec<RetryItem>,
}

/// The rows `code` decodes to; a number no catalogue has is still classified as an HTTP status (100-599) or a
/// six-digit code (100000-599999).
fn subjects(code: &str, service: Option<Service>) -> Result<Vec<Subject>, Error> {
    let mut options = DecodeOptions::new();
    options.service = service;
    match decode_with(code, &options) {
        Ok(d) => Ok(d
            .iter()
            .map(|m| Subject {
                outcome: Outcome::from(m),
                meaning: Some(m.meaning()),
                code: m.code().to_string(),
            })
            .collect()),
        Err(e) => {
            let n = parse_number(code, "")
                .map(|p| p.value)
                .map_err(|_| e.clone())?;
            let outcome = match n {
                100..=599 => Outcome::HttpStatus(n as u16),
                100_000..=599_999 => Outcome::ServiceError(n),
                _ => return Err(e),
            };
            Ok(vec![Subject {
                outcome,
                meaning: None,
                code: n.to_string(),
            }])
        }
    }
}

fn run_retry(out: &mut impl Write, code: &str, args: &RetryArgs<'_>) -> std::io::Result<ExitCode> {
    let subjects = match subjects(code, args.service) {
        Ok(s) => s,
        Err(e) => {
            report!("iotcode: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let policy = Policy::DEFAULT;
    let mut items = Vec::with_capacity(subjects.len());
    for s in &subjects {
        let mut ctx = args.ctx;
        ctx.service = args.service;
        let mut rng = SplitMix64::new(args.seed);
        let mut steps = policy.schedule(s.outcome, ctx, &mut rng);
        let Some(first) = steps.next() else { continue };
        let next = steps
            .take(args.next)
            .map(|d| Step {
                attempt: d.attempt(),
                action: d.action(),
                delay_ms: d.delay_ms(),
            })
            .collect();
        items.push((s, first, next));
    }
    if args.json {
        let doc = RetryDoc {
            input: code,
            decisions: items
                .into_iter()
                .map(|(s, first, next)| RetryItem {
                    catalogue: s.meaning.map(Meaning::catalogue),
                    code: match s.meaning.map(Meaning::code) {
                        Some(azure_iot_codes::Code::Text(t)) => t.into(),
                        _ => s
                            .code
                            .parse::<u64>()
                            .map(Into::into)
                            .unwrap_or(s.code.clone().into()),
                    },
                    name: s.meaning.map(Meaning::name),
                    service: first.service(),
                    retry: first,
                    next,
                })
                .collect(),
        };
        let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
        writeln!(out, "{text}")?;
        return Ok(ExitCode::SUCCESS);
    }
    for (i, (s, d, next)) in items.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let what = match s.meaning {
            Some(m) => format!("{} {} {}", m.catalogue(), m.code(), m.name()),
            None => format!("{} (not in the catalogues)", s.code),
        };
        writeln!(out, "{what}, {} (attempt {}):", d.service(), d.attempt())?;
        writeln!(out, "  action:      {}", d.action())?;
        let delay = match d.delay() {
            Some(t) if d.retry_after_honored() => format!("{} (from Retry-After)", human(t)),
            Some(t) => format!(
                "{} ({} backoff)",
                human(t),
                d.rule().pace().map_or("", |p| p.as_str())
            ),
            None => "none".to_string(),
        };
        writeln!(out, "  delay:       {delay}")?;
        writeln!(out, "  reason:      {}", d.reason())?;
        writeln!(
            out,
            "  rule:        {} ({})",
            d.rule().id(),
            d.rule().basis()
        )?;
        if !next.is_empty() {
            let list: Vec<String> = next
                .iter()
                .map(|st| match st.delay_ms {
                    Some(ms) => format!(
                        "#{} {} after {}",
                        st.attempt,
                        st.action,
                        human(std::time::Duration::from_millis(ms))
                    ),
                    None => format!("#{} {}", st.attempt, st.action),
                })
                .collect();
            writeln!(out, "  if it fails again: {}", list.join(", "))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_meaning(out: &mut impl Write, n: usize, m: &Match) -> std::io::Result<()> {
    let http = m
        .http_status()
        .map(|h| format!("HTTP {h}, "))
        .unwrap_or_default();
    let code = match m.erc() {
        Some(r) => r.code().to_string(),
        None => m.code().to_string(),
    };
    writeln!(
        out,
        "{n}. [{}] {} {}  ({http}{})",
        m.catalogue(),
        code,
        m.name(),
        m.services()
    )?;
    if m.standing() != azure_iot_codes::Standing::Current {
        writeln!(out, "   Standing:      {}", m.standing().as_str())?;
    }
    if !m.agent_versions().is_empty() {
        writeln!(out, "   Agent versions: {}", m.agent_versions())?;
    }
    if let Some(action) = m.action() {
        writeln!(out, "   Action:        {action}")?;
    }
    if let Some(r) = m.erc() {
        print_erc(out, &r)?;
    }
    writeln!(out, "   What happened: {}", m.description())?;
    // The errno reference table only names numbers: it has no advice of its own to print.
    if !m.mitigation().is_empty() {
        writeln!(out, "   What to do:    {}", m.mitigation())?;
    }
    if let Some(note) = m.note() {
        writeln!(out, "   Note:          {note}")?;
    }
    writeln!(out, "   Source:        {}", m.source())
}

/// A file's path and size (for progress); `None` for stdin.
type FileInfo = Option<(String, Option<u64>)>;

/// Opens the export: a file (with its size, for progress) or stdin.
fn open_input(file: Option<&str>) -> Result<(Box<dyn BufRead>, FileInfo), ExitCode> {
    match file {
        None | Some("-") => Ok((
            Box::new(BufReader::with_capacity(1 << 16, std::io::stdin())),
            None,
        )),
        Some(path) => match File::open(path) {
            Ok(f) => {
                let size = f.metadata().ok().map(|m| m.len());
                Ok((
                    Box::new(BufReader::with_capacity(1 << 16, f)),
                    Some((path.to_string(), size)),
                ))
            }
            Err(e) => {
                report!("iotcode: cannot open {path}: {e}");
                Err(ExitCode::from(2))
            }
        },
    }
}

fn payload_options(input: &InputArgs) -> PayloadOptions {
    let mut o = PayloadOptions::new().limits(Limits::new().max_bytes(input.max_bytes));
    o.service = input.service;
    o
}

fn finish_io(result: std::io::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report!("iotcode: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_annotate(out: &mut impl Write, file: Option<String>, input: &InputArgs) -> ExitCode {
    let (reader, file) = match open_input(file.as_deref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let progress = match (&file, input.quiet) {
        (Some((path, size)), false) => Some(annotate::Progress::new(
            &format!("iotcode annotate {path}"),
            *size,
        )),
        _ => None,
    };
    let options = annotate::Options {
        payload: payload_options(input),
        format: input.format,
        progress,
    };
    let result = annotate::run(reader, out, options).and_then(|totals| {
        out.flush()?;
        if !input.quiet {
            report!(
                "iotcode annotate: {} records, {} annotated ({} with codes), {} not recognised, {} malformed",
                totals.records, totals.annotated, totals.with_codes, totals.unrecognised, totals.malformed
            );
        }
        Ok(if totals.malformed > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        })
    });
    finish_io(result)
}

fn run_report(
    out: &mut impl Write,
    file: Option<String>,
    input: &InputArgs,
    json: bool,
    markdown: bool,
    top: usize,
) -> ExitCode {
    let (reader, file) = match open_input(file.as_deref()) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let progress = match (&file, input.quiet) {
        (Some((path, size)), false) => Some(annotate::Progress::new(
            &format!("iotcode report {path}"),
            *size,
        )),
        _ => None,
    };
    let result =
        report::collect(reader, &payload_options(input), input.format, progress).and_then(|r| {
            if json {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string_pretty(&r.to_json(top)).map_err(std::io::Error::other)?
                )?;
            } else if markdown {
                r.write_markdown(out, top)?;
            } else {
                r.write_text(out, top)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        });
    finish_io(result)
}

#[derive(Serialize)]
struct CatalogueSummary {
    catalogue: Catalogue,
    rows: usize,
}

fn run_list(out: &mut impl Write, catalogue: Option<Catalogue>, json: bool) -> std::io::Result<()> {
    match (catalogue, json) {
        (None, false) => {
            for c in Catalogue::ALL {
                writeln!(out, "{:<28} {:>4} rows", c.as_str(), c.rows().len())?;
            }
        }
        (None, true) => {
            let list: Vec<_> = Catalogue::ALL
                .iter()
                .map(|&c| CatalogueSummary {
                    catalogue: c,
                    rows: c.rows().len(),
                })
                .collect();
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&list).map_err(std::io::Error::other)?
            )?;
        }
        (Some(c), false) => {
            for m in c.rows() {
                let http = m.http_status().map(|h| h.to_string()).unwrap_or_default();
                writeln!(
                    out,
                    "{:<20} {:<45} {:>4}  {}",
                    m.code().to_string(),
                    m.name(),
                    http,
                    m.services()
                )?;
            }
        }
        (Some(c), true) => {
            writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(c.rows()).map_err(std::io::Error::other)?
            )?;
        }
    }
    Ok(())
}

fn print_erc(out: &mut impl Write, r: &azure_iot_codes::du::ErcReading) -> std::io::Result<()> {
    let c = r.code();
    writeln!(
        out,
        "   Code:          {c} = {} unsigned = {} signed ({} layout)",
        c.as_u32(),
        c.as_i32(),
        r.layout().as_str()
    )?;
    let (f, frow) = r.facility();
    writeln!(
        out,
        "   Facility:      {f} {}",
        frow.map_or("(not defined)", |x| x.name())
    )?;
    if let Some((comp, row)) = r.component() {
        writeln!(
            out,
            "   Component:     {comp} {}",
            row.map_or("(not defined)", |x| x.name())
        )?;
    }
    writeln!(out, "   Value:         {0} ({0:#x})", r.value())?;
    if let Some(e) = r.exit_code() {
        writeln!(out, "   Exit code:     {e}")?;
    }
    if let Some(e) = r.errno() {
        writeln!(
            out,
            "   errno:         {} {}: {}",
            e.code(),
            e.name(),
            e.description()
        )?;
    }
    if let Some(x) = r.extension_code() {
        writeln!(out, "   Extension code: {} {}", x.code(), x.name())?;
    }
    if let Some(d) = r.delivery_optimization() {
        let name = d.row().map_or("(not catalogued)", |m| m.name());
        write!(out, "   DO HRESULT:    0x{:08X} {name}", d.hresult())?;
        if let Some(h) = d.http_status() {
            write!(out, " (HTTP {h})")?;
        }
        writeln!(out)?;
    }
    if let Some(e) = r.delta_processor_error() {
        writeln!(out, "   Delta processor error: {e}")?;
    }
    Ok(())
}

fn read_input(path: &str) -> std::io::Result<String> {
    if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(path)
    }
}

/// A field that may be a JSON number or a numeric string (the service sends strings).
fn code_field(v: &serde_json::Value) -> Result<Option<i32>, String> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) => n
            .as_i64()
            .and_then(|n| {
                i32::try_from(n)
                    .ok()
                    .or_else(|| u32::try_from(n).ok().map(|u| u as i32))
            })
            .map(Some)
            .ok_or_else(|| format!("{n} is not a 32-bit integer")),
        serde_json::Value::String(s) if s.trim().is_empty() => Ok(None),
        serde_json::Value::String(s) => azure_iot_codes::du::ExtendedResultCode::parse(s)
            .map(|c| Some(c.as_i32()))
            .map_err(|e| e.to_string()),
        other => Err(format!("{other} is not a number")),
    }
}

fn parse_log_operation(text: &str) -> Result<LogOperation, String> {
    json::reject_duplicate_keys(text)?;
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let list = v
        .get("deviceStatus")
        .or_else(|| v.get("devices"))
        .and_then(|d| d.as_array())
        .ok_or("expected an object with a `deviceStatus` (or `devices`) array")?;
    let mut devices = Vec::with_capacity(list.len());
    for (i, d) in list.iter().enumerate() {
        let at = |m: String| format!("device #{}: {m}", i + 1);
        let field = |k: &str| d.get(k).unwrap_or(&serde_json::Value::Null);
        let device_id = field("deviceId")
            .as_str()
            .ok_or_else(|| at("missing deviceId".into()))?
            .to_string();
        let status: DeviceLogStatus = field("status")
            .as_str()
            .ok_or_else(|| at("missing status".into()))?
            .parse()
            .map_err(|e: Error| at(e.to_string()))?;
        let result_code = code_field(field("resultCode")).map_err(at)?;
        let extended_result_code = code_field(field("extendedResultCode"))
            .map_err(at)?
            .map(azure_iot_codes::du::ExtendedResultCode::from_i32);
        let module_id = field("moduleId")
            .as_str()
            .filter(|m| !m.is_empty())
            .map(str::to_string);
        devices.push(DeviceLogResult {
            device_id,
            module_id,
            status,
            result_code,
            extended_result_code,
        });
    }
    LogOperation::new(devices).map_err(|e| e.to_string())
}

fn diagnostics_row(rc: i32) -> Option<&'static azure_iot_codes::Meaning> {
    Catalogue::DuDiagnosticsResult
        .lookup_number(rc as u32)
        .first()
}

fn run_log_operation(out: &mut impl Write, file: &str, json: bool) -> std::io::Result<ExitCode> {
    let op = match read_input(file)
        .map_err(|e| e.to_string())
        .and_then(|t| parse_log_operation(&t))
    {
        Ok(op) => op,
        Err(e) => {
            report!("iotcode: {file}: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let b = op.breakdown();
    if json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&b).map_err(std::io::Error::other)?
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "Log operation: {} ({} devices: {} succeeded, {} failed, {} pending)",
        b.status,
        op.devices().len(),
        b.succeeded.len(),
        b.failed.len(),
        b.pending.len()
    )?;
    for (title, group) in [
        ("Failed", &b.failed),
        ("Pending", &b.pending),
        ("Succeeded", &b.succeeded),
    ] {
        if group.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        for d in group.iter() {
            write!(out, "  {}", d.device_id)?;
            if let Some(m) = &d.module_id {
                write!(out, "/{m}")?;
            }
            write!(out, "  {}", d.status)?;
            if let Some(rc) = d.result_code {
                let name = diagnostics_row(rc).map_or("", |m| m.name());
                write!(out, "  resultCode {rc} {name}")?;
            }
            if let Some(erc) = d.extended_result_code {
                write!(out, "  extendedResultCode {erc}")?;
            }
            writeln!(out)?;
            let failed_row = d
                .result_code
                .filter(|_| d.status == DeviceLogStatus::Failed)
                .and_then(diagnostics_row);
            if let Some(m) = failed_row {
                writeln!(out, "    What to do: {}", m.mitigation())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
