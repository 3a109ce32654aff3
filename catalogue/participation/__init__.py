"""Taking part: the public forms (forms.py) with their defences against abuse (abuse.py), the e-mails to the
editors and senders (notify.py), turning a suggestion into a draft case (drafts.py) and a person's data on
request or past its period (personal.py). The pages are views/participation.py; the queue is
admin/participation.py."""
