# pragma version ~=0.4.3
"""
@title ESG governance timelock
@license GNU Affero General Public License v3.0 only
@notice Delays and then executes the calls the Governor queues. Holds
        DEFAULT_ADMIN_ROLE of the ecosystem contracts once deployment hands
        administration over, so every admin change goes through governance.
@dev A thin wrapper that initializes snekmate's `timelock_controller` and
     exposes its whole interface (schedule/execute/cancel of single calls and
     batches, operation state views, role management, ERC-721/1155 receiving).
"""

from snekmate.auth import access_control
from snekmate.governance import timelock_controller

initializes: access_control
initializes: timelock_controller[access_control := access_control]

exports: timelock_controller.__interface__


# @dev Upper bound of the proposer and executor lists (snekmate's batch bound).
_MAX_ACCOUNTS: constant(uint256) = 255


@deploy
def __init__(
    min_delay: uint256,
    proposers: DynArray[address, _MAX_ACCOUNTS],
    executors: DynArray[address, _MAX_ACCOUNTS],
    admin: address,
):
    """
    @notice Deploys the timelock; it administers itself.
    @dev The deployer gets no role (snekmate revokes it); `admin`, if not the
         zero address, gets DEFAULT_ADMIN_ROLE for initial setup and should
         renounce it afterwards.
    @param min_delay The minimum delay in seconds between scheduling and execution.
    @param proposers Accounts granted PROPOSER_ROLE and CANCELLER_ROLE (the Governor).
    @param executors Accounts granted EXECUTOR_ROLE (the zero address opens execution to anyone).
    @param admin Optional initial admin (zero address for none).
    """
    access_control.__init__()
    timelock_controller.__init__(min_delay, proposers, executors, admin)
