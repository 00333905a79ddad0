export const EXIT_CODES_HELP = `Exit codes:
  0  every cluster was evaluated and passed
  1  at least one cluster FAILs EKS-001
  2  bad usage or input (flags, region names, credentials); nothing was scanned
  3  the scan is incomplete (a region or cluster could not be read), whatever else was found`;
