from django.core.management import call_command


def test_openapi_schema_is_valid_without_warnings(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    for path in ["/api/matters/", "/api/reviews/", "/api/reviews/{id}/findings/", "/api/findings/{id}/triage/",
                 "/api/model-versions/"]:  # fmt: skip
        assert f"  {path}:" in schema, path
