"""Command-line options over a service's pydantic-settings class.

Each field becomes one option (``--metrics-port`` for ``metrics_port``) whose value is written to
the field's environment variable (``INDEXER_METRICS_PORT``) before the service starts: a flag
overrides the setting exactly as the variable would, is parsed the same way (JSON for lists and
maps), reaches the processes the service starts itself (API workers), and the defaults stay in
the settings class alone. Secrets (``SecretStr`` fields) have no option: a command line is
visible to every user of the machine.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Callable
from pathlib import Path

import click
from pydantic import AliasChoices, SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode

SettingsClass = type[BaseSettings]

_CLICK_TYPES = {int: click.INT, float: click.FLOAT, bool: click.BOOL}


def env_name(settings: SettingsClass, name: str) -> str:
    """The environment variable of field ``name`` (its first alias, else prefix + name)."""
    alias = settings.model_fields[name].validation_alias
    if isinstance(alias, AliasChoices):
        alias = alias.choices[0]
    if isinstance(alias, str):
        return alias
    return (settings.model_config.get("env_prefix", "") + name).upper()


def _plain(annotation: object) -> object:
    """``int`` for ``int | None``; the annotation itself otherwise."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


def _secret(field: FieldInfo) -> bool:
    return _plain(field.annotation) is SecretStr


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        return "computed"
    if field.is_required():
        return "required"
    if field.default is None:
        return "unset"
    if isinstance(field.default, bool):
        return str(field.default).lower()
    return repr(field.default) if isinstance(field.default, str) else str(field.default)


def _option_name(name: str) -> str:
    return "--" + name.replace("_", "-")


def fields(settings: SettingsClass) -> list[str]:
    """The fields that get an option (every one but the secrets)."""
    return [n for n, f in settings.model_fields.items() if not _secret(f)]


def settings_options(settings: SettingsClass) -> Callable:
    """Decorate a click command with one option per field of ``settings``."""

    def decorate(command: Callable) -> Callable:
        for name in reversed(fields(settings)):
            field = settings.model_fields[name]
            plain = _plain(field.annotation)
            kind = _CLICK_TYPES.get(plain, click.STRING)
            metavar = "PATH" if plain is Path else None
            if typing.get_origin(plain) in (list, dict) and NoDecode not in field.metadata:
                metavar = "JSON"
            command = click.option(
                _option_name(name),
                name,
                type=kind,
                default=None,
                metavar=metavar,
                help=f"{env_name(settings, name)} (default: {_default(field)})",
            )(command)
        return command

    return decorate


def apply(settings: SettingsClass, values: dict[str, object]) -> BaseSettings:
    """Write the given options to their variables and load the settings; a value the settings
    refuse is a click error naming the option and the value."""
    given = {n: v for n, v in values.items() if n in settings.model_fields and v is not None}
    saved = {env_name(settings, n): os.environ.get(env_name(settings, n)) for n in given}
    for name, value in given.items():
        text = str(value).lower() if isinstance(value, bool) else str(value)
        os.environ[env_name(settings, name)] = text
    try:
        return settings()
    except ValidationError as exc:
        for var, old in saved.items():
            if old is None:
                os.environ.pop(var, None)
            else:
                os.environ[var] = old
        error = exc.errors()[0]
        name = _field_of(settings, str(error["loc"][0]) if error["loc"] else "")
        if name in given:
            ctx = click.get_current_context(silent=True)
            params = {p.name: p for p in ctx.command.params} if ctx else {}
            raise click.BadParameter(
                f"{given[name]!r}: {error['msg']}",
                ctx=ctx,
                param=params.get(name),
                param_hint=None if name in params else _option_name(name),
            ) from None
        where = env_name(settings, name) if name else "settings"
        raise click.UsageError(f"{where}: {error['msg']}") from None


def _field_of(settings: SettingsClass, loc: str) -> str | None:
    """The field an error location names (a field name or one of its aliases)."""
    for name, field in settings.model_fields.items():
        alias = field.validation_alias
        names = {name, env_name(settings, name)}
        if isinstance(alias, AliasChoices):
            names |= {str(c) for c in alias.choices}
        elif isinstance(alias, str):
            names.add(alias)
        if loc.lower() in {n.lower() for n in names}:
            return name
    return None
