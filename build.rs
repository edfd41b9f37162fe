//! Build script: a shim around `codegen::generate_to`, which validates `data/*.csv` and writes the tables.
//! A broken row stops the build with `data/<file>.csv:<line>: <what is wrong>`.

#[path = "codegen/mod.rs"]
#[allow(dead_code)]
mod codegen;

use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let data = manifest.join("data");
    println!("cargo:rerun-if-changed=codegen");
    for input in codegen::inputs(&data) {
        println!("cargo:rerun-if-changed={}", input.display());
    }
    if let Err(e) = codegen::generate_to(&data, &out.join("catalogue.rs")) {
        eprintln!("error: {e}");
        // Printed as a cargo error too, so it is the first thing the reader sees.
        println!("cargo::error={e}");
        std::process::exit(1);
    }
}
