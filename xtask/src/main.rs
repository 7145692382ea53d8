//! `cargo xtask build [--release]`: the in-repo build driver.
//!
//! It does what `cargo leptos build` does, from the same `[[workspace.metadata.leptos]]`
//! settings, without needing cargo-leptos installed (which takes 25 minutes to compile on a
//! small machine): build the wasm crate, run wasm-bindgen (the library, pinned in the
//! workspace to the same version as the `wasm-bindgen` crate, so they always match),
//! optionally shrink with `wasm-opt`, copy the CSS, fingerprint the assets, and build the
//! server binary.
//!
//! The wasm crate is built twice: the storefront module (the catalogue's islands) and the
//! workspace module (every island). `pkg/assets.json` lists both, smallest first, with the
//! islands each exports; the server gives each page the smallest one that hydrates it.

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
struct LeptosMetadata {
    output_name: String,
    site_root: PathBuf,
    site_pkg_dir: String,
    style_file: PathBuf,
    assets_dir: Option<PathBuf>,
    bin_package: String,
    lib_package: String,
    lib_profile_release: Option<String>,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let release = args.iter().any(|a| a == "--release");
    match args.first().map(String::as_str) {
        Some("build") => build(release, true),
        Some("assets") => build(release, false),
        _ => {
            eprintln!("usage: cargo xtask build [--release]   wasm, CSS and the server\n       cargo xtask assets [--release]  wasm and CSS only");
            std::process::exit(2);
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn metadata(root: &Path) -> Result<LeptosMetadata> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        workspace: Workspace,
    }
    #[derive(serde::Deserialize)]
    struct Workspace {
        metadata: Metadata,
    }
    #[derive(serde::Deserialize)]
    struct Metadata {
        leptos: Vec<LeptosMetadata>,
    }
    let text = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let manifest: Manifest =
        toml::from_str(&text).context("reading [[workspace.metadata.leptos]]")?;
    manifest
        .workspace
        .metadata
        .leptos
        .into_iter()
        .next()
        .context("no [[workspace.metadata.leptos]] entry")
}

fn cargo(root: &Path, args: &[&str]) -> Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    eprintln!("$ cargo {}", args.join(" "));
    let status = Command::new(cargo).args(args).current_dir(root).status()?;
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    Ok(())
}

fn build(release: bool, server: bool) -> Result<()> {
    let root = workspace_root();
    let meta = metadata(&root)?;
    let target_dir = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let wasm_profile = if release {
        meta.lib_profile_release
            .clone()
            .unwrap_or_else(|| "release".into())
    } else {
        "dev".into()
    };

    // `EMALL_SITE_ROOT` names another site directory, as the server reads it: the test
    // command builds its own, so a release server running from `target/site` keeps its files.
    let site = std::env::var_os("EMALL_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join(&meta.site_root));
    let pkg = site.join(&meta.site_pkg_dir);
    if pkg.exists() {
        std::fs::remove_dir_all(&pkg)?;
    }
    std::fs::create_dir_all(&pkg)?;
    let url = |p: &Path| {
        format!(
            "/{}/{}",
            meta.site_pkg_dir,
            p.file_name().unwrap().to_string_lossy()
        )
    };

    // 1–3. Each wasm module, smallest first: the storefront's islands, then every island.
    let mut bundles = Vec::new();
    let mut fingerprinted = Vec::new();
    for (suffix, features) in [("", ""), ("-workspace", "workspace")] {
        let out_name = format!("{}{suffix}", meta.output_name);
        let (wasm, js) = wasm_module(
            &root,
            &meta,
            &target_dir,
            &wasm_profile,
            features,
            &out_name,
            &pkg,
            release,
        )?;
        let glue = std::fs::read_to_string(&js)?;
        let islands = exported_functions(&glue);
        let (wasm_h, js_h) = (fingerprint(&wasm)?, fingerprint(&js)?);
        bundles.push(
            serde_json::json!({ "js": url(&js_h), "wasm": url(&wasm_h), "islands": islands }),
        );
        fingerprinted.extend([wasm_h, js_h]);
    }

    // 4. CSS and static assets.
    let css = pkg.join(format!("{}.css", meta.output_name));
    std::fs::copy(root.join(&meta.style_file), &css).context("copying the style file")?;
    if let Some(assets) = meta
        .assets_dir
        .as_ref()
        .map(|a| root.join(a))
        .filter(|a| a.exists())
    {
        copy_dir(&assets, &site)?;
    }

    // 5. Fingerprinted copies (served `immutable`) and the manifest the server reads.
    let css_h = fingerprint(&css)?;
    let manifest = serde_json::json!({ "css": url(&css_h), "bundles": bundles });
    std::fs::write(
        pkg.join("assets.json"),
        serde_json::to_string_pretty(&manifest)?,
    )?;
    fingerprinted.push(css_h);
    for f in &fingerprinted {
        let (br, gz) = precompress(f, release)?;
        eprintln!(
            "{:>9} bytes ({br} brotli, {gz} gzip)  {}",
            std::fs::metadata(f)?.len(),
            f.display()
        );
    }

    // 6. The server.
    if server {
        let mut args = vec!["build", "--package", &meta.bin_package];
        if release {
            args.push("--release");
        }
        cargo(&root, &args)?;
    }
    Ok(())
}

/// Builds the wasm crate with `features`, runs wasm-bindgen into `pkg` as `out_name` and,
/// for a release, shrinks the module with `wasm-opt`; the module's and the glue's paths.
#[allow(clippy::too_many_arguments)]
fn wasm_module(
    root: &Path,
    meta: &LeptosMetadata,
    target_dir: &Path,
    profile: &str,
    features: &str,
    out_name: &str,
    pkg: &Path,
    release: bool,
) -> Result<(PathBuf, PathBuf)> {
    cargo(
        root,
        &[
            "build",
            "--package",
            &meta.lib_package,
            "--lib",
            "--target",
            "wasm32-unknown-unknown",
            "--profile",
            profile,
            "--features",
            features,
        ],
    )?;
    let profile_dir = if profile == "dev" { "debug" } else { profile };
    let wasm_in = target_dir
        .join("wasm32-unknown-unknown")
        .join(profile_dir)
        .join(format!("{}.wasm", meta.lib_package.replace('-', "_")));
    eprintln!("wasm-bindgen {} -> {}", wasm_in.display(), pkg.display());
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&wasm_in)
        .web(true)
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .out_name(out_name)
        .debug(!release)
        .keep_debug(!release)
        .generate(pkg)
        .map_err(|e| anyhow::anyhow!("wasm-bindgen failed: {e}"))?;
    let wasm = pkg.join(format!("{out_name}_bg.wasm"));
    let js = pkg.join(format!("{out_name}.js"));
    if release {
        match Command::new("wasm-opt").arg("--version").output() {
            Ok(_) => {
                let status = Command::new("wasm-opt")
                    .args([
                        "-Oz",
                        "--enable-bulk-memory",
                        "--enable-nontrapping-float-to-int",
                        "--enable-sign-ext",
                        "--enable-reference-types",
                        "--enable-multivalue",
                        "--enable-mutable-globals",
                    ])
                    .arg(&wasm)
                    .arg("-o")
                    .arg(&wasm)
                    .status()?;
                if !status.success() {
                    bail!("wasm-opt failed");
                }
            }
            Err(_) => eprintln!("wasm-opt not found: skipping the size pass"),
        }
    }
    Ok((wasm, js))
}

/// The functions a wasm-bindgen glue module exports: `hydrate` and one per island, named as
/// the island's `data-component` attribute names it.
fn exported_functions(glue: &str) -> Vec<&str> {
    glue.lines()
        .filter_map(|l| l.strip_prefix("export function "))
        .filter_map(|rest| rest.split(|c: char| c == '(' || c.is_whitespace()).next())
        .collect()
}

/// Copies `file` to `name.<hash>.ext` beside it and returns the new path.
fn fingerprint(file: &Path) -> Result<PathBuf> {
    let bytes = std::fs::read(file)?;
    let hash = hex::encode(&Sha256::digest(&bytes)[..6]);
    let stem = file.file_stem().unwrap().to_string_lossy();
    let ext = file
        .extension()
        .map(|e| e.to_string_lossy().to_string())
        .unwrap_or_default();
    let out = file.with_file_name(format!("{stem}.{hash}.{ext}"));
    std::fs::write(&out, bytes)?;
    Ok(out)
}

/// Writes `file.br` and `file.gz` beside `file`, which the server sends to browsers that
/// accept them; returns their sizes. A release takes the smallest (brotli 11, gzip 9); a
/// debug build, whose wasm is tens of megabytes, the fastest.
fn precompress(file: &Path, release: bool) -> Result<(usize, usize)> {
    use std::io::Write;
    let (quality, level) = if release {
        (11, flate2::Compression::best())
    } else {
        (1, flate2::Compression::fast())
    };
    let bytes = std::fs::read(file)?;
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, quality, 22);
        w.write_all(&bytes)?;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), level);
    gz.write_all(&bytes)?;
    let gz = gz.finish()?;
    let name = file.file_name().unwrap().to_string_lossy();
    std::fs::write(file.with_file_name(format!("{name}.br")), &br)?;
    std::fs::write(file.with_file_name(format!("{name}.gz")), &gz)?;
    Ok((br.len(), gz.len()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
