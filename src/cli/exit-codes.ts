export const EXIT_CODES_HELP = `Exit codes:
  0  every cluster was evaluated and passed
  1  at least one cluster FAILs EKS-001
  2  bad usage or input (flags, region names, only regions not enabled, credentials); nothing was scanned
  3  the scan is incomplete (a region or cluster could not be read), whatever else was found
  130  interrupted (SIGINT; 143 for SIGTERM): the scan stopped, no report; nothing was changed`;

export const REMEDIATION_EXIT_CODES_HELP = `Exit codes:
  0    dry run: plan made, every failing cluster can be changed; apply: every planned change applied and verified
  1    dry run: a failing cluster is blocked; apply: a cluster failed, was refused or skipped, or you said no
  2    bad usage or input (flags, CIDRs, plan or journal file, credentials); nothing was changed
  3    the scan is incomplete (a region or cluster could not be read)
  4    an update was still running in AWS when eksposure stopped watching (--timeout); resume with eksposure resume
  130  interrupted (SIGINT; 143 for SIGTERM): nothing new submitted; see the journal and eksposure resume`;
