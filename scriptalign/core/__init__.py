"""What every domain shares: errors, atomic writes, JSON and text file reading, progress.

Imports nothing else of scriptalign, and nothing heavy (no numpy, cv2, dlib, cvxpy).
"""
