"""Matching records of one attack across data sets (GTD, ACLED, UCDP GED and
hand-kept incidents), and counting each attack once.
"""
