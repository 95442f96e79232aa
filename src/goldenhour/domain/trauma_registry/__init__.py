"""The trauma registry: one row per casualty, and the figures counted from those rows.

Plain Python. ``record`` turns a casualty's history into its registry row; ``figures`` counts
them (Holcomb's CFR, %KIA and %DOW with Wilson intervals, the time-to-care chain, tourniquet
times, Cribari's over- and under-triage, mechanisms and body regions); ``deidentify`` turns a
row into the export's de-identified line. docs/registry.md defines every figure.
"""
