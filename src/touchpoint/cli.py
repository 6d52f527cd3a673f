"""The `touchpoint` command: serve, migrate, bootstrap."""

import asyncio
import sys
from typing import Annotated

import orjson
import typer
import uvicorn
from pydantic import ValidationError

from touchpoint.auth import service as auth_service
from touchpoint.core.database import create_engine
from touchpoint.core.errors import TouchpointError
from touchpoint.core.settings import get_settings, problems_with
from touchpoint.migrations import runner

app = typer.Typer(help="Touchpoint: the customer-activity service of a CRM.", no_args_is_help=True)


@app.callback()
def check_settings() -> None:
    """Every command starts by reading the settings: a bad one is one clear line, not a trace."""
    try:
        get_settings()
    except ValidationError as error:
        for line in problems_with(error):
            typer.echo(f"touchpoint: {line}", err=True)
        raise typer.Exit(code=2) from None


@app.command()
def migrate() -> None:
    """Migrate the database to the newest schema."""
    runner.upgrade(get_settings().database_url)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Migrate the database, then serve the API."""
    runner.upgrade(get_settings().database_url)
    uvicorn.run(
        "touchpoint.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        server_header=False,
    )


async def _bootstrap(
    org_name: str, email: str, name: str, password: str | None
) -> dict[str, object]:
    settings = get_settings()
    engine = create_engine(settings)
    try:
        async with engine.begin() as connection:
            secret = await auth_service.signing_secret(connection, settings.secret_key)
            result = await auth_service.bootstrap(
                connection,
                secret,
                settings.access_token_seconds,
                organization_name=org_name,
                email=email,
                name=name,
                password=password,
            )
    finally:
        await engine.dispose()
    return {
        "orgId": str(result.organization_id),
        "userId": str(result.user_id),
        "email": result.email,
        "password": result.password,
        "apiKey": result.api_key,
        "accessToken": result.access_token,
        "tokenType": "Bearer",
        "expiresIn": settings.access_token_seconds,
    }


@app.command()
def bootstrap(
    org_name: Annotated[str, typer.Option(help="The new organization's name.")],
    email: Annotated[str, typer.Option(help="The owner's email.")],
    name: Annotated[str, typer.Option(help="The owner's name.")],
    password: Annotated[
        str | None, typer.Option(help="The owner's password; generated when left out.")
    ] = None,
) -> None:
    """Create an organization, its owner and one API key; print them as one JSON object."""
    for label, value in (("--org-name", org_name), ("--email", email), ("--name", name)):
        if not value.strip() or "\x00" in value:
            raise typer.BadParameter("must not be empty", param_hint=label)
    if "@" not in email:
        raise typer.BadParameter("must be an email address", param_hint="--email")
    runner.upgrade(get_settings().database_url)
    try:
        output = asyncio.run(_bootstrap(org_name.strip(), email, name.strip(), password))
    except TouchpointError as error:
        typer.echo(f"error: {error.detail}", err=True)
        raise typer.Exit(code=1) from error
    sys.stdout.write(orjson.dumps(output).decode() + "\n")
