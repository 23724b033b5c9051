// Inflate alone, the way acrscan calls ISA-L (docs/performance.md, "Branch `inflate5`"): gzip
// members with the CRC checked (ISAL_GZIP), RAW_KIB-KiB reads into OUT_KIB-KiB output buffers, best
// CPU time of 7 passes over FILES.  cc -O2 -o /tmp/inflate-alone scripts/inflate-alone.c -lisal
//   /tmp/inflate-alone RAW_KIB OUT_KIB 1 FILES...
#include <isa-l/igzip_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <string.h>
static double now(){struct timespec t;clock_gettime(CLOCK_PROCESS_CPUTIME_ID,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(int argc,char**argv){
  size_t rawcap=atoi(argv[1])*1024, outcap=atoi(argv[2])*1024; int crc=atoi(argv[3]);
  unsigned char*raw=aligned_alloc(64,rawcap),*out=aligned_alloc(64,outcap);
  double best=1e9;
  for(int rep=0;rep<7;rep++){
  double t0=now(); long total=0; unsigned sum=0;
  for(int f=4;f<argc;f++){
    int fd=open(argv[f],O_RDONLY); struct inflate_state st; isal_inflate_init(&st); st.crc_flag=crc?ISAL_GZIP:ISAL_GZIP_NO_HDR_VER;
    size_t rs=0,re=0; int eof=0;
    for(;;){
      if(rs==re && !eof){rs=re=0; ssize_t n=read(fd,raw,rawcap); if(n<=0)eof=1; else re=n;}
      st.next_in=raw+rs; st.avail_in=re-rs; st.next_out=out; st.avail_out=outcap;
      int rc=isal_inflate(&st); if(rc<0){printf("err %d\n",rc);return 1;}
      rs=re-st.avail_in; size_t prod=outcap-st.avail_out; total+=prod; if(prod) sum+=out[prod-1];
      if(st.block_state==ISAL_BLOCK_FINISH) break;
      if(prod==0 && eof) break;
    }
    close(fd);
  }
  double t=now()-t0; if(t<best)best=t; if(rep==0)fprintf(stderr,"%ld bytes\n",total);
  }
  printf("raw %zuK out %zuK crc %d: best %.2f ms\n",rawcap/1024,outcap/1024,crc,best);
}
