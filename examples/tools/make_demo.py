# Writes the demo data in examples/exports/ (run from examples/: python3 tools/make_demo.py).
# Deterministic (fixed seed); the files are committed, so running this is only needed to change them.
from decimal import Decimal as D
import random
random.seed(7)
MCH="1900000109"
HDR="交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注"
SUM="总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额"
items=["牛肉面","小笼包","炸酱面","豆浆油条","馄饨","葱油拌面"]
def fee(a): return (a*D("0.006")).quantize(D("0.01"))
days={"2026-11-23":6,"2026-11-24":5,"2026-11-25":4}
pays={}; seq=0
for day,n in days.items():
    lst=[]
    for i in range(n):
        seq+=1
        h=8+i*2; m=random.randint(0,59); s=random.randint(0,59)
        amt=D(random.choice(["12.00","18.50","26.00","32.00","45.50","9.90","66.00"]))
        txn="4200002826%s%010d"%(day.replace("-",""),7310000+seq*37)
        order="CG%s%04d"%(day.replace("-",""),seq)
        lst.append(dict(time=f"{day} {h:02d}:{m:02d}:{s:02d}",txn=txn,order=order,amt=amt,fee=fee(amt),item=items[seq%len(items)],openid="oUpF8uMuAJO_M2pxb1Q9zNjWeS%02d"%seq))
    pays[day]=lst
r=pays["2026-11-23"][1]
refund=dict(time="2026-11-24 11:15:10",txn=r["txn"],order=r["order"],rid="50300108022026112400001234567",rno="RF"+r["order"],ramt=D("5.00"),rfee=-fee(D("5.00")),openid=r["openid"],item=r["item"])
def payrow(p):
    return f"`{p['time']},`wx2421b1c4370ec43b,`{MCH},`0,`,`{p['txn']},`{p['order']},`{p['openid']},`NATIVE,`SUCCESS,`OTHERS,`CNY,`{p['amt']},`0.00,`0,`0,`0.00,`0.00,`,`,`{p['item']},`,`{p['fee']:.5f},`0.60%,`{p['amt']},`0.00,`"
def refrow(r):
    return f"`{r['time']},`wx2421b1c4370ec43b,`{MCH},`0,`,`{r['txn']},`{r['order']},`{r['openid']},`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`{r['rid']},`{r['rno']},`{r['ramt']},`0.00,`ORIGINAL,`SUCCESS,`{r['item']},`,`{r['rfee']:.5f},`0.60%,`0.00,`{r['ramt']},`"
for day,lst in pays.items():
    refunds=[refund] if day=="2026-11-24" else []
    rows=[payrow(p) for p in lst]+[refrow(x) for x in refunds]
    tot=sum(p['amt'] for p in lst); rt=sum((x['ramt'] for x in refunds), D("0.00"))
    ft=sum(p['fee'] for p in lst)+sum((x['rfee'] for x in refunds), D("0"))
    lines=[HDR]+rows+[SUM,f"`{len(rows)},`{tot},`{rt:.2f},`0.00,`{ft:.5f},`{tot},`{rt:.2f}"]
    open(f"exports/wechatpay_tradebill_{day}.csv","w").write("\r\n".join(lines)+"\r\n")
FH="记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号"
bal=D("0.00"); fl=[]; flow=[1]
def add(t,biz,name,typ,io,amt,memo,voucher):
    global bal
    bal = bal+amt if io=="收入" else bal-amt
    fl.append(f"`{t},`{biz},`10000{flow[0]:023d},`{name},`{typ},`{io},`{amt:.2f},`{bal:.2f},`{MCH}API,`{memo},`{voucher}"); flow[0]+=1
settle={"2026-11-23":"2026-11-24","2026-11-24":"2026-11-25"}
withdrawals={}; events=[("2026-11-24 11:15:12",("refund",))]
for day,sday in settle.items():
    for i,p in enumerate(pays[day]):
        events.append((f"{sday} 09:00:{i:02d}",("income",p)))
    events.append((f"{sday} 13:30:00",("withdraw",sday)))
events.sort(key=lambda e:e[0])
for t,e in events:
    if e[0]=="income":
        p=e[1]; net=p['amt']-p['fee']
        add(t,p['txn'],"交易","交易","收入",net,f"含手续费{p['fee']}元",p['order'])
    elif e[0]=="refund":
        add(t,refund["rid"],"退款","退款","支出",refund["ramt"]+refund["rfee"],f"退款总金额{refund['ramt']}元;含手续费{-refund['rfee']}元",refund['rno'])
    else:
        sday=e[1]; amt=bal; wid="WD"+sday.replace("-","")+"0001"
        withdrawals[sday]=amt
        add(t,wid,"提现","提现","支出",amt,"提现到银行卡6222****3445",wid)
inc=[l for l in fl if "`收入," in l]; out=[l for l in fl if "`支出," in l]
si=sum(D(l.split(",")[6][1:]) for l in inc); so=sum(D(l.split(",")[6][1:]) for l in out)
lines=[FH]+fl+["资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额",f"`{len(fl)},`{len(inc)},`{si:.2f},`{len(out)},`{so:.2f}"]
open("exports/wechatpay_fundflow_2026-11-23_2026-11-25.csv","w").write("\r\n".join(lines)+"\r\n")
def cell(v,w=20): return '"'+v.ljust(w)+'\t"'
rows=[]
def brow(date,summ,detail,place,inc,exp,bal,cp,acct):
    rows.append(",".join([date+"     \t",cell(summ),cell(detail,30),cell(place,60),cell("CHN"),"钞        \t",cell("-"),cell("-"),"-              \t",cell(inc),cell(exp),"人民币         \t",cell(bal),cell(cp,40),cell(acct)]) + ",")
b=D("18230.55")
def fmt(d): return f"{d:,.2f}"
b-=D("3500.00"); brow("2026-11-23","转账","店铺租金","","",fmt(D("3500.00")),fmt(b),"杭州西溪物业管理有限公司","3301****0021")
b+=withdrawals["2026-11-24"]; brow("2026-11-24","提现","财付通提现 WD202611240001","",fmt(withdrawals["2026-11-24"]),"",fmt(b),"财付通支付科技有限公司","2430****0588")
b-=D("86.40"); brow("2026-11-25","消费","","杭州联华超市","",fmt(D("86.40")),fmt(b),"","")
head=["明细查询文件下载","","卡号: 6222****3445,\"卡别名: 晨光面馆结算卡\"","","子账户序号: 00000,子账户类别: 活期,\"子账户别名: \"","",
"交易日期,摘要,交易详情,交易场所,交易国家或地区简称,钞/汇,交易金额(收入),交易金额(支出),交易币种,记账金额(收入),记账金额(支出),记账币种,余额,对方户名,对方账户"]
ti=withdrawals["2026-11-24"]; te=D("3586.40")
foot=["  ",f"人民币合计,,,,,,,,,\"{fmt(ti)}          \t\",\"{fmt(te)}          \t\","]
open("exports/icbc_debit_6222xxxx3445_202611.csv","wb").write(("\n".join(head+rows+foot)+"\n").encode("gbk"))
c=pays["2026-11-24"]; d=pays["2026-11-25"]; a=pays["2026-11-23"]
claims=["claim_id,source,provider,paid_at,amount,currency,order_id,txn_id,payer,payee_seen,note",
f"C-1001,complaint,wechatpay,{c[0]['time']},{c[0]['amt']},CNY,,{c[0]['txn']},顾客甲,晨光面馆,\"说付了钱, 店员没看到\"",
f"C-1002,complaint,wechatpay,{c[0]['time'][:-2]}59,{c[0]['amt']},CNY,,{c[0]['txn']},顾客甲,晨光面馆,同一笔再次投诉",
f"C-1003,payer_receipt,wechatpay,2026-11-24 12:41:07,38.00,CNY,,4200002826202611249999999999,顾客乙,晨光面馆,截图上的单号",
f"C-1004,complaint,wechatpay,2026-11-25 18:20:00,25.00,CNY,,,顾客丙,老王烧烤,扫的是门口的码",
f"C-1005,order,wechatpay,{d[1]['time']},{d[1]['amt']},CNY,{d[1]['order']},,,晨光面馆,",
"C-1006,complaint,wechatpay,2026-11-25 20:02:00,8800.00,CNY,,,顾客丁,晨光面馆,包场定金",
f"C-1007,order,wechatpay,{a[1]['time']},{a[1]['amt']},CNY,{a[1]['order']},,,晨光面馆,退了一部分",
f"C-1008,order,wechatpay,{a[0]['time']},{a[0]['amt']},CNY,{a[0]['order']},,,晨光面馆,",
"C-1009,payer_receipt,wechatpay,2026-11-25 19:05:00,16.00,CNY,,,顾客戊,老王烧烤,收据上的商户不是本店"]
open("exports/claims_2026-11.csv","w").write("\n".join(claims)+"\n")
