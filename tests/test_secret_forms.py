"""Forms of pasted secrets that test_secret_classes and test_secrets do not use, planted
in a copy of the complete example, each reported at its file:line and found in no file
the build and the xlsx export write (site, search index, downloads, images, doctrees,
JSON and JUnit reports, the workbook's XML, the console).

Classes, several vectors each:

- the readable form: a name or value split by an HTML character reference or an
  invisible character, as Markdown renders it;
- a value after a secret's name with no separator: blanks, a Japanese particle or
  bracket, an HTML tag, ``… for admin is …``, in a heading, a ``.netrc`` line;
- options and argument lists: ``docker login -u … -p …``, ``-storepass``, the item after
  ``--password`` in a YAML or JSON list;
- formats that place a secret: ``.pgpass`` lines, a CSV or TSV column under a secret's
  heading, a PuTTY private key;
- token formats: GitLab, npm, Slack app tokens and webhooks, kubeconfig key data;
- a file holding a secret named by ``{download}``, a link or an image is never copied;
- a secret in a file's name.
"""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest
from conftest import AS_OF

from sphinx_handover.secret_scan.secrets_scan import read_texts, scan_package_files

#: Lines appended to a page: (line, secrets on it).
PAGE_VECTORS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "chapters/09-hypercare.md": [
        # the readable form: references and invisible characters
        ("pass&#119;ord: EntNm9x2q", ("EntNm9x2q",)),
        ("&#x70;assword: EntHx9x2q", ("EntHx9x2q",)),
        ("password: Ent&#80;w9y2q", ("Ent&#80;w9y2q", "EntPw9y2q")),
        ("pass\u200bword: ZwNm9x2q", ("ZwNm9x2q",)),
        ("パス\u2060ワード：ZwJa9x2q", ("ZwJa9x2q",)),
        ("token: Zw\u200dVl9x2q", ("Zw\u200dVl9x2q", "ZwVl9x2q")),
        ("", ()),
        # no separator: blanks, particles, brackets, tags, "… is …"
        ("## Admin password Hd9xPw2q", ("Hd9xPw2q",)),
        ("", ()),
        ("## 管理者パスワードは HdJa9xPw です", ("HdJa9xPw",)),
        ("", ()),
        ("ログインパスワード「JaKg9x2q」を入力します。", ("JaKg9x2q",)),
        ("初期パスワードはJaWa8x2qです。", ("JaWa8x2q",)),
        ("初期パスワード\u3000JaSp9x2q", ("JaSp9x2q",)),
        ("<table><tr><td>パスワード</td><td>HtTd9xPw</td></tr></table>", ("HtTd9xPw",)),
        ("", ()),
        ("Password for admin is Pr0seP4ss!", ("Pr0seP4ss!",)),
        ("", ()),
        # options
        ("```", ()),
        ("docker login -u ops -p DlPw9x2q registry.example", ("DlPw9x2q",)),
        ("keytool -importkeystore -srcstorepass KsPw9x2q -deststorepass KdPw9x2q", ("KsPw9x2q", "KdPw9x2q")),
        ('args: ["--password", "YmFlow8q"]', ("YmFlow8q",)),
        # token formats
        ("glpat-Ab3dEf6hIj9kLm2nOp5q", ("glpat-Ab3dEf6hIj9kLm2nOp5q",)),
        ("npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c", ("npm_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c",)),
        ("xapp-1-A0123456789-1234567890123-abcdef0123456789", ("xapp-1-A0123456789-1234567890123-abcdef0123456789",)),
        (
            "https://hooks.slack.com/services/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",
            ("T0123ABCD/B0123ABCD/Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2",),
        ),
        ("```", ()),
        ("", ()),
        # files holding secrets, named so that Sphinx would copy them
        (
            "{download}`a <../evidence/09-rt/.pgpass>` {download}`b <../evidence/09-rt/ops.ppk>` "
            "[c](../evidence/09-rt/deploy.yaml) {download}`d <../evidence/09-rt/accounts.csv>` "
            "{download}`e <../evidence/09-rt/netrc.txt>` {download}`f <../evidence/09-rt/clean.txt>`",
            (),
        ),
        ("", ()),
        ("![screen](../evidence/09-rt/screen.png)", ()),
    ],
}

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"

#: Whole files: (path, lines, secrets by line number).
FILE_VECTORS: list[tuple[str, str, dict[int, tuple[str, ...]]]] = [
    (
        "evidence/09-rt/.pgpass",
        "# host:port:db:user:password\ndb.internal:5432:orders:app:PgPa55Xq91\n*:*:*:postgres:Pg\\:Esc9q\n",
        {2: ("PgPa55Xq91",), 3: ("Pg\\:Esc9q",)},
    ),
    (
        "evidence/09-rt/netrc.txt",
        "machine api.internal login ops password NetRc9Pw2\nmachine b.internal\n  login ops\n  password NetMl7q9x\n",
        {1: ("NetRc9Pw2",), 4: ("NetMl7q9x",)},
    ),
    (
        "evidence/09-rt/deploy.yaml",
        'containers:\n- args:\n  - "--db-password"\n  - YmNext7q\n  - --api-key\n  - YmKey8q9z\n',
        {4: ("YmNext7q",), 6: ("YmKey8q9z",)},
    ),
    ("evidence/09-rt/job.json", '{"command": ["app", "--token", "JsArgTok9q"]}\n', {1: ("JsArgTok9q",)}),
    (
        "evidence/09-rt/accounts.csv",
        "system,user,password\norders,admin,CsvPw9x2q\nbatch,svc,CsvPw8y3r\n",
        {2: ("CsvPw9x2q",), 3: ("CsvPw8y3r",)},
    ),
    ("evidence/09-rt/accounts.tsv", "ホスト\tユーザー\t初期パスワード\ndb\tapp\tTsvPw9x2q\n", {2: ("TsvPw9x2q",)}),
    (
        "evidence/09-rt/ops.ppk",
        "PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: ops\nPublic-Lines: 1\n"
        "AAAAB3NzaC1yc2EAAAADAQABAAABAQCpub\nPrivate-Lines: 2\nAAABAQCprivPuttyBody0123456789abcdef\n"
        "AAABAQCprivPuttyBody9876543210fedcba\nPrivate-MAC: 8f3a9c2e1b7d6f5a4c3b2a1908f7e6d5c4b3a291\n",
        {
            7: ("AAABAQCprivPuttyBody0123456789abcdef",),
            8: ("AAABAQCprivPuttyBody9876543210fedcba",),
            9: ("8f3a9c2e1b7d6f5a4c3b2a1908f7e6d5c4b3a291",),
        },
    ),
    (
        "evidence/09-rt/kubeconfig.yaml",
        "users:\n- name: ops\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlF\n",
        {4: ("LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlF",)},
    ),
    ("evidence/09-rt/clean.txt", "作業ログ：完了\n", {}),
]


def _plant(root: Path) -> list[tuple[str, int, str]]:
    planted = []
    for relative, lines in PAGE_VECTORS.items():
        path = root / relative
        before = path.read_text("utf-8")
        if not before.endswith("\n"):
            before += "\n"
        first = before.count("\n") + 2  # after one blank line
        path.write_text(before + "\n" + "\n".join(text for text, _ in lines) + "\n", "utf-8")
        for offset, (_, secrets) in enumerate(lines):
            planted.extend((relative, first + offset, secret) for secret in secrets)
    for relative, text, secrets_by_line in FILE_VECTORS:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        for line, secrets in secrets_by_line.items():
            planted.extend((relative, line, secret) for secret in secrets)
    # A name is scanned too (every build, cached content or not); the location shown is redacted.
    (root / "evidence/09-rt/password=FnmPw9x2q.txt").write_text("clean\n", "utf-8")
    planted.append(("evidence/09-rt/password=[REDACTED]", 1, "FnmPw9x2q"))
    (root / "evidence/09-rt/screen.png").write_bytes(PNG + b"\x00tEXt\npassword=PngPw9x2q\n\x00IEND")
    planted.append(("evidence/09-rt/screen.png", 4, "PngPw9x2q"))  # the line of its printable parts
    return planted


def _outputs(root: Path, tmp_path: Path, console: str) -> dict[str, bytes]:
    blobs = {"console": console.encode("utf-8")}
    for path in [*(root / "_build").rglob("*"), tmp_path / "junit.xml"]:
        if path.is_file():
            blobs[str(path)] = path.read_bytes()
            blobs[f"name of {path}"] = str(path).encode("utf-8")
            if path.suffix == ".xlsx":
                with zipfile.ZipFile(path) as workbook:
                    blobs.update({f"{path}!{name}": workbook.read(name) for name in workbook.namelist()})
    return blobs


def _holding(blobs: dict[str, bytes], secret: str) -> list[str]:
    needles = {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}
    needles |= {needle.replace("&", "&amp;").replace('"', "&quot;") for needle in set(needles)}
    return [name for name, data in blobs.items() if any(needle.encode("utf-8") in data for needle in needles)]


def test_every_form_is_reported_at_its_line_and_in_no_output(cli, example_copy, tmp_path):
    root = example_copy()
    planted = _plant(root)
    built = cli("build", root, "--as-of", AS_OF, "--junit", tmp_path / "junit.xml")
    exported = cli("export", "xlsx", root, "--as-of", AS_OF)
    assert built.code == 1 and (root / "_build/handover.xlsx").is_file(), built.err + exported.err
    reported = {line.split(": ERROR: ")[0] for line in built.err.splitlines() if line.endswith("[handover.secret]")}
    missing = sorted({f"ec-order-service/{file}:{line}" for file, line, _ in planted} - reported)
    assert missing == [], built.err
    blobs = _outputs(root, tmp_path, built.output + exported.output)
    leaks = {secret: _holding(blobs, secret) for _, _, secret in planted}
    assert {secret: where for secret, where in leaks.items() if where} == {}
    downloads = [path.name for path in (root / "_build/html/_downloads").rglob("*") if path.is_file()]
    assert "clean.txt" in downloads  # a clean file named the same way is still published


def test_a_copy_left_by_an_earlier_build_is_removed_once_its_file_holds_a_secret(cli, package):
    package.artifact("evidence/notes.env", "APP_ENV=production\n")
    package.artifact("evidence/shot.png").write_bytes(PNG + b"\x00IEND")
    package.page("files", "# Files\n\n{download}`env <evidence/notes.env>`\n\n![shot](evidence/shot.png)\n")
    assert cli("build", package.root, "--as-of", AS_OF).code == 0
    html = package.root / "_build/html"
    assert [p.name for p in html.rglob("notes.env")] == ["notes.env"] and list(html.rglob("shot.png"))
    (package.root / "evidence/notes.env").write_text("APP_ENV=production\n\nSESSION_SECRET=St4leCopyQ9\n", "utf-8")
    (package.root / "evidence/shot.png").write_bytes(PNG + b"\x00tEXt\ntoken=St4lePngQ9\n\x00IEND")
    result = cli("build", package.root, "--as-of", AS_OF)
    assert "pkg/evidence/notes.env:3: ERROR: " in result.err and "pkg/evidence/shot.png:4: ERROR: " in result.err
    for secret in ("St4leCopyQ9", "St4lePngQ9"):
        assert [
            str(p) for p in (package.root / "_build").rglob("*") if p.is_file() and secret.encode() in p.read_bytes()
        ] == []
    assert list(html.rglob("notes.env")) == [] and list(html.rglob("shot.png")) == []


#: Ordinary operations text, with the words the new forms key on and no secret.
ORDINARY = """\
パスワードは金庫で管理します。
パスワードは Vault で管理する。
パスワードは12文字以上、90日ごとに変更します。
パスワードはArgon2idでハッシュ化して保存します。
初期パスワードは初回ログイン時に変更してください。
## パスワードの管理
| 項目 | 内容 |
|---|---|
| パスワード | 金庫で管理 |
Password rotation policy: every 90 days.
The admin password is stored in Vault.
The password for the admin account is rotated monthly.
Passwords must be at least 12 characters.
password hashing SHA256
token TTL 3600s
API key v2.1
ssh -p 2222 ops@bastion.internal
docker run -p 8080:80 nginx
docker login -u ops --password-stdin registry.example
psql -h db.internal -p 5432 -U app orders
トークンは 30 日で失効します。
アクセスキー（AKIA で始まる）は Vault に置く
認証情報 ec-order/app-runtime
<td>Password</td><td>rotated every 90 days</td>
&amp; &lt;tag&gt; &#x3042; ZWSP\u200bhere
"""


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("ordinary.md", ORDINARY),
        (".pgpass", "# host:port:database:user:password\n# every password is in vault: ops/db\n"),
        ("hosts.csv", "host,port,password_policy\ndb.internal,5432,90 days\n"),
        ("owners.csv", "system,パスワード管理担当\norders,北辰 基盤チーム\n"),
        ("args.yaml", "args:\n  - --password-file\n  - /run/secrets/db\n  - --token\n  - vault:ops/token\n"),
    ],
)
def test_no_false_positive_on_ordinary_text(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    scan = scan_package_files([path], read_texts([path]))
    assert [(f.line, f.kind, f.value) for f in scan.findings] == []


def _seconds(path: Path, text: str) -> float:
    path.write_text(text, "utf-8")
    started = time.process_time()
    scan_package_files([path], read_texts([path]))
    return time.process_time() - started


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("gap.md", "password "),
        ("tags.md", "<td>パスワード</td>"),
        ("refs.md", "pass&#119;ord&#x20;"),
        ("invisible.md", "パス\u200bワード\u200b"),
        ("particle.md", "パスワードは"),
        ("list.yaml", '["--password", '),
        (".pgpass", "a:b:c:d:"),
        ("grid.csv", "password,"),
    ],
)
def test_the_new_forms_scan_in_linear_time(tmp_path, name, unit):
    """One line of 200,000 characters of each unit: 4x the input may cost about 8x at most."""
    size = 200_000

    def text(length: int) -> str:
        return (unit * (length // len(unit) + 1))[:length]

    small = _seconds(tmp_path / f"small-{name}", text(size // 4))
    large = _seconds(tmp_path / name, text(size))
    assert large < 8 * max(small, 0.05), (unit, small, large)
