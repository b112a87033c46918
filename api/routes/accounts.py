"""/accounts/{address}/...: an address's transfers, and every row of its profile's lists."""

from typing import Annotated, Generic

from fastapi import APIRouter, Query, Response

from api.deps import AddressDep, HeadsDep, Listing, SettingsDep, listing
from api.fields import AddressStr, checksum
from api.models import Page, T
from api.paging import BIG, INT, NEWEST, Keyset, by_chain_and
from api.routes.tokens import token_addresses
from api.rows import Audit, Certificate, GemClaim, Retirement, Stake, Transfer
from api.sql import accounts as sql

router = APIRouter(prefix="/accounts", tags=["accounts"])


class AccountPage(Page[T], Generic[T]):
    address: AddressStr


_TRANSFERS = Keyset(
    ("block_number", "chain_id", "log_index", "batch_index"), (INT,) * 4, (BIG,) * 4
)


@router.get("/{address}/transfers", summary="Transfers from or to an address, newest first")
async def transfers(
    address: AddressDep,
    heads: HeadsDep,
    lst: Annotated[Listing, listing(_TRANSFERS)],
    response: Response,
    settings: SettingsDep,
    token: Annotated[str | None, Query(max_length=40, description="token symbol")] = None,
    from_block: Annotated[int | None, Query(ge=0, le=BIG)] = None,
    to_block: Annotated[int | None, Query(ge=0, le=BIG)] = None,
) -> AccountPage[Transfer]:
    tokens = None
    if token:
        deployed = token_addresses(heads, token)
        tokens = [deployed[c] for c in lst.chains if c in deployed]
    # A closed range below every chain's finalized block never changes.
    if to_block is not None and all(
        to_block <= heads.by_chain[c].finalized_block for c in lst.chains
    ):
        response.headers["Cache-Control"] = f"public, max-age={settings.final_max_age}"
    # from_block above to_block is an empty range (no row), not an error.
    lo, hi = from_block or 0, BIG if to_block is None else to_block
    page = AccountPage[Transfer]
    return await lst.page(page, sql.TRANSFERS, address, lo, hi, tokens, address=checksum(address))


def _account_list(path: str, summary: str, model: type, statement: str, keyset: Keyset) -> None:
    """Register GET /{address}/``path``: the rows of ``statement`` ($3 the address) as
    ``model``s, in ``keyset`` order."""
    page = AccountPage[model]

    async def endpoint(address: AddressDep, lst: Annotated[Listing, listing(keyset)]):
        return await lst.page(page, statement, address, address=checksum(address))

    endpoint.__name__ = path.replace("-", "_")
    router.add_api_route(f"/{{address}}/{path}", endpoint, response_model=page, summary=summary)


_account_list(
    "retirements",
    "Retirements made by or for an address (account or beneficiary), newest first",
    Retirement,
    sql.RETIREMENTS,
    NEWEST,
)
_account_list(
    "gem-claims", "Gems an address claimed, newest first", GemClaim, sql.GEM_CLAIMS, NEWEST
)
_account_list(
    "ai-audits",
    "AI ethics audits rewarded to an address, newest first",
    Audit,
    sql.AI_AUDITS,
    NEWEST,
)
_account_list(
    "stakes", "EST stake positions of an address", Stake, sql.STAKES, by_chain_and("position_id")
)
_account_list(
    "certificates",
    "ECR certificates an address owns now",
    Certificate,
    sql.CERTIFICATES,
    by_chain_and("token_id"),
)
