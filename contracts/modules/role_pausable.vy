# pragma version ~=0.4.3
"""
@title Role-gated pause
@license GNU Affero General Public License v3.0 only
@notice `pause()` and `unpause()` for accounts holding PAUSER_ROLE, on top of snekmate's
        `pausable` flag. What a pause blocks is decided by the contract that composes this
        module (it calls `pausable._require_not_paused()` where it matters).
@dev Compose with
         initializes: role_pausable[access_control := access_control, pausable := pausable]
     and export `role_pausable.__interface__` (PAUSER_ROLE, pause, unpause).
"""

from snekmate.auth import access_control
from snekmate.utils import pausable

uses: access_control
uses: pausable


# @dev Role that may pause and unpause.
PAUSER_ROLE: public(constant(bytes32)) = keccak256("PAUSER_ROLE")


@external
def pause():
    """
    @notice Pause the contract; the caller needs PAUSER_ROLE.
    @dev Reverts if already paused.
    """
    access_control._check_role(PAUSER_ROLE, msg.sender)
    pausable._pause()


@external
def unpause():
    """
    @notice Lift the pause; the caller needs PAUSER_ROLE.
    @dev Reverts if not paused.
    """
    access_control._check_role(PAUSER_ROLE, msg.sender)
    pausable._unpause()
