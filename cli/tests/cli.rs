//! The `xzqh` binary, run as a shell user runs it: outputs, exit codes and
//! messages.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn xzqh(args: &[&str], stdin: &str) -> Output {
    xzqh_bytes(args, stdin.as_bytes())
}

fn xzqh_bytes(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xzqh"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("a pipe")
        .write_all(stdin)
        .expect("write stdin");
    child.wait_with_output().expect("the binary ends")
}

fn text(b: &[u8]) -> &str {
    std::str::from_utf8(b).expect("utf-8 output")
}

#[test]
fn resolve_writes_one_csv_record_per_line_in_order() {
    let input = "广东省深圳市南山区粤海街道科技园路12号\n朝阳区\n\n北京市海淀区中关村大街1号,A座\n";
    let out = xzqh(&["resolve", "--threads", "3"], input);
    assert_eq!(out.status.code(), Some(1), "朝阳区 is ambiguous");
    let lines: Vec<&str> = text(&out.stdout).lines().collect();
    assert_eq!(
        lines[0],
        "line,outcome,code,name,level,county_code,county,chain,spans,remainder,text"
    );
    assert_eq!(
        lines[1],
        "1,resolved,440305007,粤海街道,township,440305,南山区,广东省/深圳市/南山区/粤海街道,0-9:44 9-18:4403 18-27:440305 27-39:440305007,科技园路12号,广东省深圳市南山区粤海街道科技园路12号"
    );
    assert!(lines[2].starts_with("2,ambiguous,"));
    assert!(lines[3].starts_with("3,not_found,"));
    assert!(lines[4].ends_with(",\"大街1号,A座\",\"北京市海淀区中关村大街1号,A座\""));
    assert_eq!(lines.len(), 5);
}

#[test]
fn resolve_jsonl_and_all_resolved_exits_zero() {
    let out = xzqh(
        &["resolve", "-", "--format", "jsonl"],
        "黔东南黎平县德凤街道\n",
    );
    assert_eq!(out.status.code(), Some(0));
    let line = text(&out.stdout).trim();
    assert!(
        line.starts_with("{\"line\":1,\"outcome\":\"resolved\",\"code\":\"522631001\""),
        "{line}"
    );
    assert!(line.contains("\"county\":\"黎平县\""));
}

#[test]
fn many_lines_keep_their_order_across_threads() {
    let cities = ["深圳市南山区", "北京市朝阳区", "湖北省仙桃市", "新疆塔城市"];
    let input: String = (0..10_000)
        .map(|i| format!("{}{i}号\n", cities[i % 4]))
        .collect();
    let out = xzqh(&["resolve", "--threads", "4"], &input);
    let lines: Vec<&str> = text(&out.stdout).lines().skip(1).collect();
    assert_eq!(lines.len(), 10_000);
    for (i, l) in lines.iter().enumerate() {
        assert!(l.starts_with(&format!("{},", i + 1)), "{l}");
        assert!(l.ends_with(&format!("{}{i}号", cities[i % 4])), "{l}");
    }
}

#[test]
fn two_addresses_in_one_text_are_a_conflict() {
    let out = xzqh(
        &["resolve"],
        "广东省深圳市宝安区西乡街道 寄 浙江省杭州市余杭区\n",
    );
    let lines: Vec<&str> = text(&out.stdout).lines().collect();
    assert!(lines[1].starts_with("1,conflict,,"), "{}", lines[1]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn crlf_lines_a_last_line_without_break_and_bad_utf8() {
    let out = xzqh(&["resolve"], "北京朝阳区\r\n深圳南山区");
    let lines: Vec<&str> = text(&out.stdout).lines().skip(1).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("1,resolved,110105,"));
    assert!(
        lines[0].ends_with(",北京朝阳区"),
        "the \\r is not part of the text"
    );
    assert!(lines[1].starts_with("2,resolved,440305,"));
    assert_eq!(out.status.code(), Some(0));

    let mut input = "北京朝阳区\n深圳\n".as_bytes().to_vec();
    input.extend_from_slice(b"\xff\xfe\n");
    let out = xzqh_bytes(&["resolve", "--threads", "1"], &input);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(text(&out.stderr).trim(), "xzqh: line 3: not valid UTF-8");
}

#[test]
fn the_first_bad_line_in_the_input_is_reported_whichever_thread_read_it() {
    let mut input = Vec::new();
    for i in 1..=20_000 {
        if i == 7 || i == 15_000 {
            input.extend_from_slice(b"\xff\n");
        } else {
            input.extend_from_slice("北京朝阳区\n".as_bytes());
        }
    }
    for threads in ["1", "2", "5"] {
        let out = xzqh_bytes(&["resolve", "--threads", threads], &input);
        assert_eq!(out.status.code(), Some(3));
        assert_eq!(text(&out.stderr).trim(), "xzqh: line 7: not valid UTF-8");
    }
}

#[test]
fn unit_route_history_and_draw() {
    let out = xzqh(&["unit", "654201200", "北京 朝阳区"], "");
    assert_eq!(out.status.code(), Some(0));
    let s = text(&out.stdout);
    assert!(
        s.contains("4 tiers of government, 5 administrative levels"),
        "{s}"
    );
    assert!(s.contains("chain: 11 北京市 → 110105 朝阳区"), "{s}");
    let out = xzqh(&["unit", "朝阳区"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).starts_with("xzqh: \"朝阳区\" is ambiguous: 2 units match"));

    let cases = "places,category,severity,people\n429004 429005,environment,,\n999999,petition,,\n";
    let out = xzqh(&["route"], cases);
    assert_eq!(out.status.code(), Some(1));
    let s = text(&out.stdout);
    assert!(s.contains("\n2,42,湖北省,provincial,1,0,\n"), "{s}");
    assert!(s.contains("\n3,,,,,,\"unknown place 999999\"\n"), "{s}");

    let out = xzqh(&["history", "371200"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("3701 济南市"));

    let out = xzqh(&["draw", "42", "--depth", "1"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("digraph \"42 湖北省\""));
}

#[test]
fn usage_and_io_errors_have_their_exit_codes() {
    let out = xzqh(&["bogus"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unrecognized subcommand 'bogus'"));
    let out = xzqh(&["resolve", "/no/such/file.txt"], "");
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).starts_with("xzqh: /no/such/file.txt: "));
    let out = xzqh(&["--help"], "");
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Examples:"));
}
