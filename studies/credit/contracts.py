"""Contract research (§41(b)(3)): the share of amounts paid that counts, or why none does."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from studies.credit.inputs import ZERO, Component, ContractInput, is_domestic

SHARE_65 = Decimal("0.65")
SHARE_75 = Decimal("0.75")
SHARE_100 = Decimal(1)
ENERGY_ELIGIBLE = ("eligible_small_business", "university", "federal_laboratory")


@dataclass(frozen=True)
class ContractShare:
    share: Decimal
    reason: str
    excluded: bool = False


def contract_share(contract: ContractInput, component: Component | None) -> ContractShare:
    """The share of the amount paid that is a QRE, with the rule that gives it."""
    exclusion = _exclusion(contract, component)
    if exclusion is not None:
        return ContractShare(ZERO, exclusion, excluded=True)
    if contract.org_type == "qualified_research_consortium":
        return ContractShare(SHARE_75, "75%: paid to a qualified research consortium (§41(b)(3)(C))")
    if contract.org_type in ENERGY_ELIGIBLE and contract.energy_research:
        kind = contract.org_type.replace("_", " ")
        return ContractShare(
            SHARE_100,
            f"100%: qualified energy research paid to a {kind} (§41(b)(3)(D))".replace(
                "a eligible", "an eligible"
            ),
        )
    if contract.org_type in ENERGY_ELIGIBLE:
        return ContractShare(
            SHARE_65, "65%: not qualified energy research, so the general rule applies (§41(b)(3)(A))"
        )
    return ContractShare(SHARE_65, "65% of amounts paid (§41(b)(3)(A))")


def _exclusion(contract: ContractInput, component: Component | None) -> str | None:
    if contract.excluded_reason:
        return f"excluded: {contract.excluded_reason}"
    if not is_domestic(contract.country):
        return (
            f"excluded: research performed outside the United States ({contract.country}), §41(d)(4)(F)"
        )
    if not contract.rights_retained:
        return (
            "excluded: the taxpayer does not keep substantial rights in the results, so the "
            "research is funded (Treas. Reg. §1.41-2(e)(3), §1.41-4A(d))"
        )
    if not contract.risk_borne:
        return (
            "excluded: payment does not depend on the research's success, so the taxpayer does "
            "not bear the financial risk (Treas. Reg. §1.41-2(e)(2))"
        )
    if component is not None and component.funded_reason:
        return f"excluded: funded research (§41(d)(4)(H)): {component.funded_reason}"
    return None
