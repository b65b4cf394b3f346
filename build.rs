//! Embeds the shipped data files (catalogue, source mappings, templates, fonts, demo
//! data) into the binary, so an installed `wijkmonitor` needs no files beside it.
use std::{env, fs, path::Path};

fn main() {
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded.rs");
    let mut code = String::new();
    for (name, dir) in
        [("SOURCES", "data/sources"), ("TEMPLATES", "report-templates"), ("FONTS", "fonts"), ("DEMO", "data/demo")]
    {
        println!("cargo:rerun-if-changed={dir}");
        let mut files: Vec<_> = fs::read_dir(dir)
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect())
            .unwrap_or_default();
        files.sort();
        code.push_str(&format!("/// Files embedded from `{dir}/`.\npub static {name}: &[(&str, &[u8])] = &[\n"));
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            // The path from the package root, joined at compile time: the generated file
            // then holds no checkout's absolute path, so a target folder shared by two
            // checkouts (a worktree) never embeds the other's files, or misses them once
            // that checkout is gone.
            let relative = f.to_string_lossy().replace('\\', "/");
            code.push_str(&format!(
                "    ({:?}, include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {:?}))),\n",
                f.file_name().unwrap().to_string_lossy(),
                format!("/{relative}")
            ));
        }
        code.push_str("];\n");
    }
    println!("cargo:rerun-if-changed=data/indicators.toml");
    println!("cargo:rerun-if-changed=data/index.toml");
    fs::write(out, code).unwrap();
}
