import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from catalogue import synthetic


class Command(BaseCommand):
    help = (
        "Add N realistic synthetic case studies (published, marked is_synthetic) for benchmarks, reproducibly "
        "from a seed, in bulk; or remove every synthetic case with --remove. Never run this on production data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, help="How many cases to add.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the generator (default: %(default)s).")
        parser.add_argument(
            "--batch-size", type=int, default=synthetic.BATCH_SIZE, help="Cases per insert (default: %(default)s)."
        )
        parser.add_argument("--remove", action="store_true", help="Remove every synthetic case, then stop.")

    def handle(self, *args, count, seed, batch_size, remove, **options):
        started = time.monotonic()
        if remove:
            removed = synthetic.remove()
            self.stdout.write(self.style.SUCCESS(f"Removed {removed:,} synthetic case studies."))
            return
        if count is None or count < 1:
            raise CommandError("Give the number of cases to add with --count N (N at least 1), or use --remove.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        taxonomy = synthetic.Taxonomy.load()
        if taxonomy.missing():
            self.stdout.write("No principles or taxonomy yet: loading the catalogue's content first.")
            call_command("load_catalogue", stdout=self.stdout)
        if synthetic.existing(seed):
            raise CommandError(
                f"Synthetic cases from seed {seed} are already here: remove them first (--remove) or use another "
                "--seed."
            )

        def progress(done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            self.stdout.write(f"  {done:,} / {total:,} cases ({elapsed:.0f} s)")
            self.stdout.flush()

        made = synthetic.generate(count, seed, batch_size=batch_size, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Added {made:,} synthetic case studies (seed {seed}) in {elapsed:.1f} s.")
        )
