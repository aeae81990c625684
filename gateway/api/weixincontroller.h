#pragma once

#include "http/apiresponse.h"

struct ApiServices;
struct WeixinStatus;

// /api/weixin/*: status, QR login (start, cancel, qr.svg) and the accounts (remove, default).
namespace WeixinApi {

QJsonObject statusJson(const WeixinStatus &status);
void status(ApiServices &services, const ApiRequest &request, Reply reply);
void startLogin(ApiServices &services, const ApiRequest &request, Reply reply);
void cancelLogin(ApiServices &services, const ApiRequest &request, Reply reply);
void qrSvg(ApiServices &services, const ApiRequest &request, Reply reply);
void removeAccount(ApiServices &services, const ApiRequest &request, Reply reply);
void setDefaultAccount(ApiServices &services, const ApiRequest &request, Reply reply);

} // namespace WeixinApi
