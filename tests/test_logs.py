"""Log lines as JSON objects when `[log] format = "json"`; the setting is read from kairan.toml."""

from __future__ import annotations

import json
import logging

import pytest

from kairan.config import ConfigError, load_settings
from kairan.logs import configure_logging
from tests.conftest import make_data_dir


@pytest.fixture
def restored_root_logger():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_json_lines_carry_level_logger_message_and_exception(capsys, restored_root_logger):
    configure_logging("json", "info")
    log = logging.getLogger("bridge.outbound.dispatch")
    log.warning("notify mail #%s to member #%s failed: %s", 3, 7, "550 5.1.1 宛先なし")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("pass failed")
    lines = capsys.readouterr().err.strip().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "WARNING" and first["logger"] == "bridge.outbound.dispatch"
    assert first["message"] == "notify mail #3 to member #7 failed: 550 5.1.1 宛先なし"
    assert first["time"].endswith("+00:00")
    assert second["message"] == "pass failed" and "ValueError: boom" in second["exception"]


def test_the_log_format_comes_from_the_config_and_a_wrong_one_is_a_clear_error(tmp_path):
    data = make_data_dir(tmp_path / "data")
    assert load_settings(data).ops.log_format == "text"
    config = data / "kairan.toml"
    config.write_text(config.read_text().replace('format = "text"', 'format = "json"'))
    assert load_settings(data).ops.log_format == "json"
    config.write_text(config.read_text().replace('format = "json"', 'format = "xml"'))
    with pytest.raises(ConfigError, match=r'\[log\] format must be "text" or "json"'):
        load_settings(data)
