"""``nova-manage placement``: check resource allocations."""

from __future__ import annotations

from nova import context as nova_context
from nova.cmd.manage import _require_database
from nova.cmd.manage import args


def _format(resources: dict[str, int]) -> str:
    return ', '.join(f'{rc}={used}' for rc, used in sorted(resources.items()))


class PlacementCommands:
    """Audit the resource allocations held on compute nodes."""

    @args('--delete', action='store_true',
          help='Delete the orphaned allocations found')
    @args('--verify', action='store_true',
          help='Also check that every instance and migration holds '
               'exactly what it is due (its flavor on its node); exit 3 '
               'when anything differs')
    def audit(self, delete: bool = False, verify: bool = False) -> int:
        """List allocations whose consumer is neither a live instance nor
        an unfinished migration; with --delete, remove them."""
        from nova.scheduler import audit
        _require_database()
        ctxt = nova_context.get_admin_context()
        if verify:
            return self._verify(ctxt)
        orphans = audit.find_orphaned_allocations(ctxt)
        for orphan in orphans:
            print(f"Orphaned allocation: consumer {orphan['consumer_id']} "
                  f"on {orphan['host']}/{orphan['nodename']} "
                  f"({_format(orphan['resources'])})")
        consumers = sorted({orphan['consumer_id'] for orphan in orphans})
        if not orphans:
            print('No orphaned allocations found.')
        elif delete:
            rows = audit.delete_orphaned_allocations(ctxt, consumers)
            print(f'Deleted {rows} allocation records of '
                  f'{len(consumers)} consumers.')
        else:
            print(f'{len(consumers)} consumers hold orphaned allocations; '
                  f'run with --delete to remove them.')
        return 0

    @staticmethod
    def _verify(ctxt: nova_context.RequestContext) -> int:
        from nova.scheduler import audit_usage
        problems = audit_usage.find_mismatches(ctxt)
        for problem in problems:
            print(problem)
        if problems:
            print(f'{len(problems)} allocation problems found.')
            return 3
        print('Every consumer holds exactly what it is due.')
        return 0
